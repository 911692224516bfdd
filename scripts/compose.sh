#!/usr/bin/env bash
# Docker Compose v2 and buildx (the engine's BuildKit) as Docker CLI plugins,
# when `docker compose version` does not answer v2 or `docker buildx version`
# does not answer at all. Docker Desktop and Docker's own packages ship both,
# so a laptop sees nothing here. Debian's packages have neither (only Compose
# v1.29): both are then built once from source with Go through the Go module
# proxy, cached outside the clone, and installed as plugins.
#
# Where Compose v2 cannot be built, a `docker compose` plugin that forwards to
# Compose v1.29 (docker-compose) is the fallback; the harness then uses v1.29
# and, without buildx, the classic builder (README: "Compose and the builder").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

COMPOSE_VERSION=${COMPOSE_VERSION:-v2.40.3}
BUILDX_VERSION=${BUILDX_VERSION:-v0.38.2}

# As root the plugins go where every user's docker finds them (sudo keeps root's HOME).
if is_root; then plugin_dir=/usr/local/lib/docker/cli-plugins; else plugin_dir=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins; fi

compose_major() { docker compose version --short 2>/dev/null | sed -E 's/^v?([0-9]+).*/\1/' | grep -E '^[0-9]+$' || echo 0; }

find_go() {
  local go
  go=$(command -v go || true)
  [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
  if [ -z "$go" ]; then
    command -v apt-get >/dev/null || return 1
    say "installing Go from Debian's packages (to build the Docker CLI plugins)"
    apt_install golang-go
    go=$(command -v go)
  fi
  printf '%s\n' "$go"
}

install_plugin() { # install_plugin FILE NAME
  mkdir -p "$plugin_dir"
  install -m 0755 "$1" "$plugin_dir/$2"
}

# Compose v2 cannot be `go install`ed (its go.mod has exclude directives): it is
# built as the main module from its downloaded source.
build_compose() {
  local cached=$1 go dir work
  go=$(find_go) || return 1
  say "building Docker Compose $COMPOSE_VERSION with $("$go" version | cut -d' ' -f3) (once, 3-4 min on 2 cores; the binary is cached)"
  mkdir -p "$(dirname "$cached")"
  local log="$(dirname "$cached")/build.log"
  dir=$(GOFLAGS=-mod=mod "$go" mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" 2>"$log" |
    sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p') || true
  if [ ! -d "$dir" ]; then
    say "downloading Compose's source failed (log: $log): $(tail -n 3 "$log" | tr '\n' ' ')"
    return 1
  fi
  work=$(mktemp -d)
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  local status=0
  (cd "$work" && CGO_ENABLED=0 "$go" build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
    -o "$cached" ./cmd) >>"$log" 2>&1 || status=$?
  rm -rf "$work"
  [ $status = 0 ] || say "building Compose failed (log: $log): $(tail -n 3 "$log" | tr '\n' ' ')"
  return $status
}

build_buildx() {
  local cached=$1 go
  go=$(find_go) || return 1
  say "building docker buildx $BUILDX_VERSION with $("$go" version | cut -d' ' -f3) (once, 2-3 min on 2 cores; the binary is cached)"
  mkdir -p "$(dirname "$cached")"
  local log="$(dirname "$cached")/build.log"
  if ! GOBIN=$(dirname "$cached") GOFLAGS=-mod=mod CGO_ENABLED=0 "$go" install -trimpath \
    -ldflags "-s -w -X github.com/docker/buildx/version.Version=$BUILDX_VERSION -X github.com/docker/buildx/version.Package=github.com/docker/buildx" \
    "github.com/docker/buildx/cmd/buildx@$BUILDX_VERSION" >"$log" 2>&1; then
    say "building buildx failed (log: $log): $(tail -n 3 "$log" | tr '\n' ' ')"
    return 1
  fi
  mv "$(dirname "$cached")/buildx" "$cached"
}

compose_v1_shim() {
  command -v docker-compose >/dev/null || fail "no Docker Compose found; install Docker Compose v2 (docker-compose-plugin) and retry"
  say "Compose v2 could not be had: adding a 'docker compose' plugin that forwards to $(command -v docker-compose) ($(docker-compose version --short 2>/dev/null))"
  mkdir -p "$plugin_dir"
  cat >"$plugin_dir/docker-compose" <<'SHIM'
#!/bin/sh
# Forwards `docker compose ...` to Compose v1 (docker-compose). Written by scripts/compose.sh
# where Compose v2 could not be built; the harness reads the version and adapts.
if [ "$1" = docker-cli-plugin-metadata ]; then
  printf '{"SchemaVersion":"0.1.0","Vendor":"todo-rehearsal","Version":"%s","ShortDescription":"Compose v1 bridge"}\n' \
    "$(docker-compose version --short 2>/dev/null)"
  exit 0
fi
shift
exec docker-compose "$@"
SHIM
  chmod +x "$plugin_dir/docker-compose"
}

if [ "$(compose_major)" -lt 2 ]; then
  cached="$PROVISION_CACHE_DIR/docker-compose-$COMPOSE_VERSION/docker-compose"
  if [ -x "$cached" ] || build_compose "$cached"; then
    install_plugin "$cached" docker-compose
    [ "$(compose_major)" -ge 2 ] || fail "Compose $COMPOSE_VERSION is installed in $plugin_dir but 'docker compose version' does not answer v2"
    say "Docker Compose $(docker compose version --short) ready"
  elif ! docker compose version >/dev/null 2>&1; then
    compose_v1_shim
  else
    say "Compose v2 could not be built (the Go module proxy must answer); staying on $(docker compose version --short)"
  fi
fi

if ! docker buildx version >/dev/null 2>&1; then
  cached="$PROVISION_CACHE_DIR/docker-buildx-$BUILDX_VERSION/docker-buildx"
  if [ -x "$cached" ] || build_buildx "$cached"; then
    install_plugin "$cached" docker-buildx
    docker buildx version >/dev/null 2>&1 || fail "buildx is installed in $plugin_dir but 'docker buildx version' does not answer"
    say "docker buildx $BUILDX_VERSION ready (BuildKit)"
  else
    say "buildx could not be built (the Go module proxy must answer): images build with the classic builder"
  fi
fi
