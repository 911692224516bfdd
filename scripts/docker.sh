#!/usr/bin/env bash
# A Docker engine and Compose, when `docker info` does not answer.
# On a laptop with Docker Desktop this does nothing. On a bare Debian machine it
# installs Debian's engine and Compose v1, starts the daemon, and adds a
# `docker compose` CLI plugin that forwards to docker-compose (v1), because
# tools such as testcontainers call the v2 spelling.
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

if ! docker compose version >/dev/null 2>&1; then
  command -v docker-compose >/dev/null || fail "no Docker Compose found; install Docker Compose v2 (or docker-compose v1.29)"
  # As root the plugin goes where every user's docker finds it (sudo keeps root's HOME).
  if is_root; then plugin_dir=/usr/local/lib/docker/cli-plugins; else plugin_dir=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins; fi
  mkdir -p "$plugin_dir"
  say "adding a 'docker compose' plugin that forwards to $(command -v docker-compose)"
  cat >"$plugin_dir/docker-compose" <<'SHIM'
#!/bin/sh
# Forwards `docker compose ...` to Compose v1 (docker-compose). Written by scripts/docker.sh.
if [ "$1" = docker-cli-plugin-metadata ]; then
  printf '{"SchemaVersion":"0.1.0","Vendor":"todo-rehearsal","Version":"%s","ShortDescription":"Compose v1 bridge"}\n' \
    "$(docker-compose version --short 2>/dev/null)"
  exit 0
fi
shift
exec docker-compose "$@"
SHIM
  chmod +x "$plugin_dir/docker-compose"
  docker compose version >/dev/null 2>&1 || fail "'docker compose' still does not work after adding the plugin in $plugin_dir"
fi
