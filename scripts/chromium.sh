#!/usr/bin/env bash
# Chromium for the browser flow (driven by playwright-core, which cannot
# download browsers here). Skipped when CHROMIUM_PATH or a system Chromium or
# Chrome is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
  command -v "$candidate" >/dev/null && exit 0
done
command -v apt-get >/dev/null ||
  fail "no Chromium or Chrome found; install one and set CHROMIUM_PATH to it (the browser tests need it)"
say "installing Chromium from Debian's packages (for the browser tests)"
apt_install chromium
say "Chromium ready: $(chromium --version 2>/dev/null || echo installed)"
