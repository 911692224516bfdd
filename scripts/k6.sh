#!/usr/bin/env bash
# k6 for the load gate. Neither npm nor Debian has it: it is built from source
# with the Go toolchain (Debian's golang-go when no Go is installed) through the
# Go module proxy, and the binary is cached. Skipped when k6 is on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

K6_VERSION=${K6_VERSION:-v1.8.1}
command -v k6 >/dev/null && exit 0

cached="$PROVISION_CACHE_DIR/k6-$K6_VERSION/k6"
if [ ! -x "$cached" ]; then
  go=$(command -v go || true)
  [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
  if [ -z "$go" ]; then
    command -v apt-get >/dev/null ||
      fail "k6 is missing and so is Go: install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or Go, then run this again"
    say "installing Go from Debian's packages (to build k6)"
    apt_install golang-go
    go=$(command -v go)
  fi
  say "building k6 $K6_VERSION with $("$go" version | cut -d' ' -f3) (a few minutes, once)"
  mkdir -p "$(dirname "$cached")"
  GOBIN=$(dirname "$cached") GOFLAGS=-mod=mod CGO_ENABLED=0 "$go" install "go.k6.io/k6@$K6_VERSION" ||
    fail "building k6 failed; the Go module proxy must answer (GOPROXY), or install k6 yourself"
fi
if is_root; then
  install -m 0755 "$cached" /usr/local/bin/k6
else
  mkdir -p "$HOME/.local/bin" && install -m 0755 "$cached" "$HOME/.local/bin/k6"
  say "k6 installed in ~/.local/bin; add it to PATH"
fi
say "k6 ready: $(k6 version 2>/dev/null | head -1 || echo installed)"
