#!/usr/bin/env bash
# VS Code: builds the extension (.vsix), installs it into code-server (the real VS Code
# workbench) and drives it in Debian's Chromium with playwright-core (vscode/test.cjs).
TEST_NAME=vscode
. "$(dirname "$0")/../lib/common.sh"
CODE_SERVER="$TOOLS/code-server/node_modules/.bin/code-server"
[ -x "$CODE_SERVER" ] || die "code-server not installed: tests/editors/install.sh code-server"
[ -d "$TOOLS/npm/node_modules/playwright-core" ] || die "playwright-core not installed: tests/editors/install.sh playwright"
[ -x /usr/bin/chromium ] || die "chromium not installed: tests/editors/install.sh apt"
new_sandbox

# The platform-specific .vsix with $SERVER inside (editors/vscode/scripts/package-platform.mjs),
# installed where `iam-policy-ls` is not on PATH and no server path is set: the extension must
# find its bundled server. IAM_VSIX: test that .vsix instead (then the server path is set).
case "$(uname -m)" in
  x86_64) TARGET=linux-x64 ;;
  aarch64) TARGET=linux-arm64 ;;
  *) die "no VS Code target for $(uname -m)" ;;
esac
VSIX="${IAM_VSIX:-$REPO/editors/vscode/dist/iam-policy-ls-$TARGET.vsix}"
if [ -z "${IAM_VSIX:-}" ]; then
  log "building the $TARGET extension with $SERVER inside"
  (cd "$REPO/editors/vscode" && npm ci --no-audit --no-fund --loglevel=error && npm run -s typecheck &&
    node scripts/package-platform.mjs --target "$TARGET" --server "$SERVER") >"$SANDBOX/vsix.log" 2>&1 ||
    { cat "$SANDBOX/vsix.log" >&2; die "the extension did not build"; }
  BUNDLED=1
  SERVER_PATH_SETTING=""
else
  BUNDLED=0
  SERVER_PATH_SETTING="\"iamPolicy.server.path\": \"$SERVER\","
fi
[ -f "$VSIX" ] || die "no .vsix at $VSIX"
log "vsix: $VSIX ($(du -k "$VSIX" | cut -f1) KiB)"
if [ $BUNDLED = 1 ]; then
  unzip -l "$VSIX" | grep -q 'extension/server/iam-policy-ls$' || die "the .vsix holds no server/iam-policy-ls"
  # Nothing on PATH may provide the server: drop every PATH entry that has one.
  CLEAN_PATH=""
  IFS=: read -ra dirs <<<"$PATH"
  for d in "${dirs[@]}"; do
    [ -n "$d" ] && [ ! -e "$d/iam-policy-ls" ] && CLEAN_PATH="${CLEAN_PATH:+$CLEAN_PATH:}$d"
  done
  export PATH="$CLEAN_PATH"
  ! command -v iam-policy-ls >/dev/null || die "iam-policy-ls is still on PATH"
fi

DATA="$SANDBOX/code-server/data" EXT="$SANDBOX/code-server/extensions" CFG="$SANDBOX/code-server/config.yaml"
mkdir -p "$DATA/User" "$DATA/Machine" "$EXT"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$CFG"
cat > "$DATA/User/settings.json" <<JSON
{
  $SERVER_PATH_SETTING
  "workbench.startupEditor": "none",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "editor.hover.delay": 300,
  "window.commandCenter": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
# code-server windows are remote windows: machine-scoped settings such as iamPolicy.server.path
# are read from the remote ("Machine") settings.
if [ $BUNDLED = 1 ]; then
  printf '{}\n' > "$DATA/Machine/settings.json"
else
  printf '{\n  "iamPolicy.server.path": "%s"\n}\n' "$SERVER" > "$DATA/Machine/settings.json"
fi
cs() { PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER" --config "$CFG" --user-data-dir "$DATA" --extensions-dir "$EXT" "$@"; }
cs --install-extension "$VSIX" >"$SANDBOX/install-ext.log" 2>&1 || { cat "$SANDBOX/install-ext.log" >&2; die "--install-extension failed"; }
log "$(grep -i 'installed' "$SANDBOX/install-ext.log" | tail -n 1)"

# In a session of its own, so that the cleanup ends code-server with all its children (extension
# host, file watcher, language servers) by process group.
export -f cs
export CODE_SERVER CFG DATA EXT NODE24_DIR
setsid bash -c 'cs --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$0"' "$WS" >"$SANDBOX/code-server.log" 2>&1 &
CS_PID=$!
CLEANUP_HOOK="kill -- -$CS_PID 2>/dev/null; sleep 0.5; kill -9 -- -$CS_PID 2>/dev/null; wait $CS_PID 2>/dev/null"
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  python3 - "$PORT" <<'PY' 2>/dev/null && break
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1)
PY
  kill -0 $CS_PID 2>/dev/null || { cat "$SANDBOX/code-server.log" >&2; die "code-server exited"; }
  sleep 0.2
done
log "code-server on 127.0.0.1:$PORT"

CAPS="$(timeout 20 python3 "$EDITORS_DIR/lib/caps.py" "$SERVER")"
SHOT=""
[ -n "$SHOTS" ] && { mkdir -p "$SHOTS"; SHOT="$SHOTS/vscode.png"; }
URL="http://127.0.0.1:$PORT/?folder=$WS" POLICY_NAME="$(basename "$POLICY")" SHOT="$SHOT" CAPS="$CAPS" \
  FAIL_SHOT="$SANDBOX/failure.png" TIMEOUT_MS="${IAM_TIMEOUT_MS:-30000}" \
  node24 "$EDITORS_DIR/vscode/test.cjs" || {
    log "code-server log:"; tail -n 40 "$SANDBOX/code-server.log" >&2
    find "$DATA/logs" -name '*IAM Policy*' -exec tail -n 40 {} \; 2>/dev/null >&2 || true
    die "VS Code test failed"
  }
# The extension says in its output channel which server it runs.
CHANNEL_LOG="$(find "$DATA/logs" -name '*IAM Policy.log' 2>/dev/null | head -n 1)"
[ -n "$CHANNEL_LOG" ] || die "no IAM Policy output channel log under $DATA/logs"
USING="$(grep -m1 '^using ' "$CHANNEL_LOG" || true)"
log "extension: ${USING:-(no 'using' line)}"
if [ $BUNDLED = 1 ]; then
  grep -q "^using $EXT/.*/server/iam-policy-ls (from the server bundled with the extension)" "$CHANNEL_LOG" ||
    { cat "$CHANNEL_LOG" >&2; die "the extension did not run its bundled server"; }
fi
log "PASS"
