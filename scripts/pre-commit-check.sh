#!/usr/bin/env bash
# The pre-commit hook's entry (.pre-commit-hooks.yaml): builds the checker once inside the hook's clone, then checks
# the files pre-commit passes (files it does not recognise give nothing). Fails on error-level findings, like CI.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$here/dist/cli.js" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null && node esbuild.mjs >/dev/null)
fi
[ "$#" -eq 0 ] && exit 0
exec node "$here/dist/cli.js" check "$@" --fail-on "${DEPLOY_ADVISOR_FAIL_ON:-error}"
