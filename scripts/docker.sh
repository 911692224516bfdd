#!/usr/bin/env bash
# A Docker engine, when `docker info` does not answer.
# On a laptop with Docker Desktop this does nothing. On a bare Debian machine it
# installs Debian's engine (and Compose v1.29, the fallback where v2 cannot be
# built) and starts the daemon. Compose v2 and buildx: scripts/compose.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

if ! docker_answers && timeout 10 docker info 2>&1 | grep -qi 'permission denied'; then
  fail "the Docker daemon runs but this user may not use it; add yourself to the docker group (sudo usermod -aG docker $USER, then log in again) or run as root"
fi

if ! docker_answers; then
  if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null; then
    command -v apt-get >/dev/null ||
      fail "Docker is not running and this is not a Debian-like machine: start Docker Desktop (or your Docker engine) and retry"
    say "installing Docker engine and Compose from Debian's packages"
    apt_install docker.io docker-compose
  fi
  if ! docker_answers; then
    is_root || fail "the Docker daemon is not running; start it (sudo systemctl start docker) and retry"
    mkdir -p "$PROVISION_STATE_DIR"
    log=/var/log/todo-rehearsal-dockerd.log
    say "starting dockerd (log: $log)"
    nohup dockerd >"$log" 2>&1 </dev/null &
    echo $! >"$PROVISION_STATE_DIR/dockerd.pid"
    for _ in $(seq 1 60); do
      docker_answers && break
      sleep 1
    done
    docker_answers || fail "dockerd did not answer within 60 s; last lines of $log: $(tail -n 5 "$log" | tr '\n' ' ')"
  fi
fi
