#!/usr/bin/env bash
# Helix 25.01 (Debian trixie's hx) with editors/helix/languages.toml, driven in tmux: asserts the
# server's diagnostics (inline), a completion menu with ecs:RunTask, and a hover.
TEST_NAME=helix
. "$(dirname "$0")/../lib/common.sh"
[ -x "$HX_ROOT/usr/lib/hx/hx" ] || die "hx not installed: tests/editors/install.sh helix"
command -v tmux >/dev/null || die "tmux not installed"
new_sandbox
cd "$WS"

# The user's config: the repository's languages.toml (server command pointed at the binary under
# test) and runtime queries, and inline diagnostics on every line.
mkdir -p "$XDG_CONFIG_HOME/helix"
sed "s|^command = \"iam-policy-ls\"|command = \"$SERVER\"|" "$REPO/editors/helix/languages.toml" \
  > "$XDG_CONFIG_HOME/helix/languages.toml"
cp -r "$REPO/editors/helix/runtime" "$XDG_CONFIG_HOME/helix/"
cat > "$XDG_CONFIG_HOME/helix/config.toml" <<'TOML'
theme = "default"
[editor]
end-of-line-diagnostics = "hint"
[editor.inline-diagnostics]
cursor-line = "hint"
other-lines = "hint"
[editor.lsp]
display-messages = true
[editor.statusline]
right = ["diagnostics", "selections", "file-type", "position"]
TOML

eval "$(hx_cmd --health iam-policy)" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' > "$SANDBOX/health.txt" || true
cat "$SANDBOX/health.txt" >&2
# `hx --health` always exits 0: read what it says.
grep -Eq "✓ .*iam-policy-ls" "$SANDBOX/health.txt" || die "hx --health does not find iam-policy-ls"

S="iam-hx-$$"

tm new-session -d -s "$S" -x 150 -y 30 \
  "env TERM=xterm-256color COLORTERM=truecolor $(hx_cmd -c "$XDG_CONFIG_HOME/helix/config.toml" "$POLICY") 2>$SANDBOX/hx.stderr"
screen() { tm capture-pane -t "$S" -p -J; }
fail() { screen >&2; log "hx log:"; tail -n 30 "$XDG_CACHE_HOME/helix/helix.log" >&2 2>/dev/null || true; die "$*"; }

wait_pane "$S" 'iam-policy' 10 || fail "hx did not open the policy as language iam-policy"

wait_pane "$S" ' iam-policy ' 10 || fail "the policy did not open as language iam-policy"

# Diagnostics: every expected rule's name, shown inline (the message ends with `(rule-name)`).
for item in ${EXPECT//,/ }; do
  code="${item%@*}"
  name="$(python3 "$EDITORS_DIR/lib/expect.py" "$SERVER" "$POLICY" "$code")"
  wait_pane "$S" "$name" 15 -F || fail "no $code ($name) diagnostic on screen"
  log "diagnostic $code ($name) shown"
done

# Completion: a new line under "ecs:RunTask", type `"ecs:Run`; the menu must list ecs:RunTask
# (the buffer has it once already, so the menu makes two).
# (a pause after Escape, or the terminal reads Escape + key as Alt-key)
tm send-keys -t "$S" Escape
sleep 0.3
tm send-keys -t "$S" '/' 'ecs:RunTask' Enter
sleep 0.3
# One key at a time, as a person types: iam-policy-ls (tower-lsp-server) may handle didChange
# notifications that arrive in the same instant out of order and then drops the older ones as
# stale (seen here with keys sent in one burst), leaving it with a different text than Helix.
for k in 'A' ',' Enter '"' e c s : R u n; do
  tm send-keys -t "$S" "$k"
  sleep 0.08
done
sleep 0.5
tm send-keys -t "$S" C-x
ok=0
for _ in $(seq 1 50); do
  if [ "$(screen | grep -o 'ecs:RunTask' | wc -l)" -ge 2 ]; then ok=1; break; fi
  sleep 0.2
done
[ $ok = 1 ] || fail "no completion menu with ecs:RunTask"
log "completion menu lists ecs:RunTask"
sleep 0.3
shot_tmux "$S" helix.png

# Hover: back to normal mode, undo, cursor on "ecs:RunTask", space k.
tm send-keys -t "$S" Escape
sleep 0.3
tm send-keys -t "$S" Escape
sleep 0.3
tm send-keys -t "$S" 'u'
sleep 0.3
tm send-keys -t "$S" '/' 'ecs:RunTask' Enter
sleep 0.3
tm send-keys -t "$S" Space 'k'
wait_pane "$S" 'Grants permission|Elastic Container Service' 10 || fail "no hover"
log "hover shown"

# JSON that is not named like a policy but has a top-level Statement: language json, with
# iam-policy-ls as the extra server.
cp "$POLICY" "$WS/inline-role.json"
tm send-keys -t "$S" Escape
sleep 0.3
tm send-keys -t "$S" ":open $WS/inline-role.json" Enter
wait_pane "$S" ' json ' 10 || fail "inline-role.json did not open as json"
first="$(python3 "$EDITORS_DIR/lib/expect.py" "$SERVER" "$POLICY" A009)"
wait_pane "$S" "$first" 15 -F || fail "no diagnostic from the extra server on a plain JSON policy"
log "plain JSON with a Statement: diagnostics shown (extra server for json)"

# A CloudFormation YAML template (language yaml) and a Terraform file (language hcl), with
# iam-policy-ls beside their own servers: the B002 diagnostic on `s3:GetObjekt` is shown, and
# replacing `s3:PutObject` by `s3:GetO` and asking for completion lists s3:GetObject.
for host in "$TEMPLATE" "$TF"; do
  tm send-keys -t "$S" Escape
  sleep 0.3
  tm send-keys -t "$S" ":open $host" Enter
  wait_pane "$S" "$(basename "$host")" 10 || fail "$host did not open"
  wait_pane "$S" 'unknown-action' 15 -F || fail "no B002 (unknown-action) diagnostic in $host"
  log "$(basename "$host"): diagnostic shown"
  tm send-keys -t "$S" '/' 's3:PutObject' Enter
  sleep 0.3
  tm send-keys -t "$S" 'c'
  sleep 0.2
  for k in s 3 : G e t O; do
    tm send-keys -t "$S" "$k"
    sleep 0.08
  done
  sleep 0.5
  tm send-keys -t "$S" C-x
  # A menu row: the label and its kind (the diagnostic's "did you mean `s3:GetObject`" has none).
  wait_pane "$S" 's3:GetObject +function' 10 || fail "no completion menu with s3:GetObject in $host"
  log "$(basename "$host"): completion menu lists s3:GetObject"
  tm send-keys -t "$S" Escape
  sleep 0.3
  tm send-keys -t "$S" Escape
  sleep 0.3
  tm send-keys -t "$S" ':reload' Enter
  sleep 0.3
done
tm send-keys -t "$S" Escape
sleep 0.3
tm send-keys -t "$S" ':qa!' Enter
log "PASS"
