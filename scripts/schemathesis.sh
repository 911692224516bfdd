#!/usr/bin/env bash
# Schemathesis, for the backend's fuzz test (backend/test/fuzz.test.ts): a
# pinned release in a Python virtual environment kept in the cache, made with
# this machine's python3 and pip (their index and certificates come from pip's
# own configuration), and linked onto PATH as `schemathesis` (its short name
# `st` is left out: another program may hold it).
# Skipped when that version is on PATH already.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}

installed_version() { "$1" --version 2>/dev/null | awk '{ print $NF }'; }

if command -v schemathesis >/dev/null && [ "$(installed_version schemathesis)" = "$SCHEMATHESIS_VERSION" ]; then
  exit 0
fi

venv="$PROVISION_CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
if [ "$(installed_version "$venv/bin/schemathesis")" != "$SCHEMATHESIS_VERSION" ]; then
  command -v python3 >/dev/null || fail "schemathesis needs python3 (3.10 or later); install it, then run this again"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    fail "schemathesis needs python3 3.10 or later; this one is $(python3 --version 2>&1)"
  say "installing schemathesis $SCHEMATHESIS_VERSION in $venv (once; it is cached)"
  rm -rf "$venv"
  python3 -m venv "$venv" ||
    fail "python3 could not make a virtual environment; install python3-venv (Debian) and run this again"
  "$venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION" ||
    fail "pip could not install schemathesis $SCHEMATHESIS_VERSION; pip's package index must answer"
fi

if is_root; then
  bin=/usr/local/bin
else
  bin=$HOME/.local/bin
  mkdir -p "$bin"
fi
ln -sf "$venv/bin/schemathesis" "$bin/schemathesis"
[ "$bin" = /usr/local/bin ] || say "schemathesis linked in ~/.local/bin; add it to PATH"
say "schemathesis $SCHEMATHESIS_VERSION ready"
