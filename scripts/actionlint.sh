#!/usr/bin/env bash
# actionlint, for `npm run check` to lint the GitHub Actions workflows: built
# with Go through the Go module proxy, and the binary is cached. Skipped when
# actionlint is on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

ACTIONLINT_VERSION=${ACTIONLINT_VERSION:-v1.7.12}
go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint \
  "install actionlint (https://github.com/rhysd/actionlint)"
