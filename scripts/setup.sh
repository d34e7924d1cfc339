#!/usr/bin/env bash
# Sets up everything from scratch on Debian/Ubuntu with Node 20: system packages (only if missing), npm packages,
# and the real editor used by the tests and by `npm start` (code-server in a cache folder). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v g++ >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "[setup] installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "[setup] npm ci"
npm ci --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config' || true
bash scripts/setup-editor.sh
echo "[setup] done"
