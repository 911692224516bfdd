#!/bin/bash
# Debian's redis-server binds to loopback in protected mode; in a container it
# must listen on the container's address. Caller's arguments come last so they win.
set -euo pipefail
if [ "${1:0:1}" = - ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  shift
  if [ "$(id -u)" = 0 ]; then
    chown redis:redis /data 2>/dev/null || true
    exec setpriv --reuid=redis --regid=redis --init-groups \
      redis-server --protected-mode no --bind 0.0.0.0 --dir /data "$@"
  fi
  exec redis-server --protected-mode no --bind 0.0.0.0 --dir /data "$@"
fi
exec "$@"
