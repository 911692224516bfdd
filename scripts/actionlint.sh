#!/usr/bin/env bash
# actionlint, for `npm run check` to lint the GitHub Actions workflows. A Go
# program: built with the Go toolchain (Debian's golang-go when no Go is
# installed) through the Go module proxy, and the binary is cached. Skipped
# when actionlint is on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

ACTIONLINT_VERSION=${ACTIONLINT_VERSION:-v1.7.12}
command -v actionlint >/dev/null && exit 0

cached="$PROVISION_CACHE_DIR/actionlint-$ACTIONLINT_VERSION/actionlint"
if [ ! -x "$cached" ]; then
  go=$(command -v go || true)
  [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
  if [ -z "$go" ]; then
    command -v apt-get >/dev/null ||
      fail "actionlint is missing and so is Go: install actionlint (https://github.com/rhysd/actionlint) or Go, then run this again"
    say "installing Go from Debian's packages (to build actionlint)"
    apt_install golang-go
    go=$(command -v go)
  fi
  say "building actionlint $ACTIONLINT_VERSION with $("$go" version | cut -d' ' -f3) (under a minute, once)"
  mkdir -p "$(dirname "$cached")"
  GOBIN=$(dirname "$cached") GOFLAGS=-mod=mod CGO_ENABLED=0 "$go" install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" ||
    fail "building actionlint failed; the Go module proxy must answer (GOPROXY), or install actionlint yourself"
fi
if is_root; then
  install -m 0755 "$cached" /usr/local/bin/actionlint
else
  mkdir -p "$HOME/.local/bin" && install -m 0755 "$cached" "$HOME/.local/bin/actionlint"
  say "actionlint installed in ~/.local/bin; add it to PATH"
fi
say "actionlint ready: $(actionlint -version 2>/dev/null | head -1 || echo installed)"
