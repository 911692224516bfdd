#!/usr/bin/env bash
# k6 for the load gate. Neither npm nor Debian has it: it is built from source
# with Go through the Go module proxy, and the binary is cached. Skipped when
# k6 is on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

K6_VERSION=${K6_VERSION:-v1.8.1}
go_tool k6 "$K6_VERSION" go.k6.io/k6 "install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/)"
