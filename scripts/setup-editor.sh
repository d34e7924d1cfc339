#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.100.3 = VS Code 1.100.3) and playwright-core into a cache folder,
# following ../shared/e2e/RECIPE.md. Idempotent: every step is skipped when already done, so a second run is instant.
# Offline-safe: nothing here downloads from outside the npm registry and Debian's repositories.
set -euo pipefail
CACHE="${DEPLOY_ADVISOR_CACHE:-$HOME/.cache/deploy-advisor}"
EDITOR_DIR="$CACHE/editor"
CS_VERSION=4.100.3
mkdir -p "$EDITOR_DIR"
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log() { printf '[setup-editor] %s\n' "$*"; }

CS="$EDITOR_DIR/node_modules/code-server"
if [ -f "$EDITOR_DIR/.done-$CS_VERSION" ]; then
  log "code-server $CS_VERSION already installed in $EDITOR_DIR"
  exit 0
fi

cd "$EDITOR_DIR"
[ -f package.json ] || echo '{"name":"deploy-advisor-editor-cache","private":true}' > package.json
# Scripts off: code-server's postinstall reaches @vscode/ripgrep's, which downloads rg from GitHub.
log "npm install code-server@$CS_VERSION (scripts off)"
npm install "code-server@$CS_VERSION" --ignore-scripts --no-save --loglevel=error 2>&1 | grep -v 'Unknown user config' || true

# code-server's postinstall.sh, by hand.
log "installing lib/vscode dependencies"
(cd "$CS/lib/vscode" && npm install --omit=dev --ignore-scripts --loglevel=error 2>&1 | grep -v 'Unknown user config' || true)
log "rebuilding native modules against the local Node headers"
(cd "$CS/lib/vscode" && npm rebuild node-pty @parcel/watcher @vscode/spdlog native-watchdog kerberos @vscode/deviceid --loglevel=error 2>&1 | grep -v 'Unknown user config' | tail -3 || true)
mkdir -p "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$CS/lib/vscode/node_modules.asar"
# The links code-server's postinstall.sh makes (symlink_bin_script).
ln -sfn code-linux.sh "$CS/lib/vscode/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$CS/lib/vscode/bin/helpers/browser.sh"
log "installing built-in extensions' dependencies"
(cd "$CS/lib/vscode/extensions" && npm install --omit=dev --ignore-scripts --loglevel=error 2>&1 | grep -v 'Unknown user config' || true; node postinstall.mjs >/dev/null 2>&1 || true)
log "rebuilding argon2 (code-server requires it at startup)"
(cd "$EDITOR_DIR" && npm rebuild argon2 --loglevel=error 2>&1 | grep -v 'Unknown user config' | tail -3 || true)

node "$CS/out/node/entry.js" --version --config /dev/null >/dev/null
touch "$EDITOR_DIR/.done-$CS_VERSION"
log "code-server $CS_VERSION ready in $EDITOR_DIR"
