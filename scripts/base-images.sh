#!/usr/bin/env bash
# Base images for a machine that cannot reach an image registry.
# When the official images are present or can be pulled, this does nothing and
# the compose files and Dockerfiles use the official images. Otherwise it builds
# stand-ins from Debian's packages (debootstrap → docker import → docker build)
# and writes their tags to <repo>/.images.env as NODE_IMAGE=..., POSTGRES_IMAGE=...
# Tags carry a hash of their recipe, so a changed recipe builds a new image.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"

env_file=${IMAGES_ENV_FILE:-$root/.images.env}
# name of the override variable → official image used when a registry answers
declare -A official=(
  [NODE_IMAGE]=node:24-bookworm-slim
  [POSTGRES_IMAGE]=postgres:17-alpine
  [REDIS_IMAGE]=redis:7-alpine
  [CADDY_IMAGE]=caddy:2-alpine
  [REGISTRY_IMAGE]=registry:2
)

registry_answers() {
  local var
  for var in "${!official[@]}"; do
    docker image inspect "${official[$var]}" >/dev/null 2>&1 && continue
    timeout 300 docker pull -q "${official[$var]}" >/dev/null 2>&1 || return 1
  done
}

if [ "${OFFLINE_IMAGES:-auto}" != always ] && registry_answers; then
  # A registry works: the official images are the defaults, so no overrides.
  if [ -f "$env_file" ]; then
    say "an image registry answers; removing the offline overrides in $env_file"
    rm -f "$env_file"
  fi
  exit 0
fi

recipe_hash() { (cd "$here/base-images/$1" && cat $(ls | sort) | sha256sum | cut -c1-12); }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
build_log=$(mktemp)
scratch=()
cleanup() { rm -rf "$build_log" "${scratch[@]}"; }
trap cleanup EXIT

docker_build() { # tag context [build args...]
  local tag=$1 context=$2
  shift 2
  say "building $tag"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$@" "$context" >"$build_log" 2>&1 ||
    fail "building $tag failed: $(tail -n 20 "$build_log")"
}

# 1. Debian minbase with this machine's CA bundle (it trusts an extra CA that
#    registries are reached through).
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -r "$ca_bundle" ] || fail "no CA bundle at $ca_bundle; install the ca-certificates package"
debian_recipe="bookworm minbase, CA bundle at /etc/ssl/certs, v1" # bump when the steps below change
debian_tag=todo-base/debian:bookworm-$( (echo "$debian_recipe"; cat "$ca_bundle") | sha256sum | cut -c1-12)
if ! have_image "$debian_tag"; then
  command -v debootstrap >/dev/null || apt_install debootstrap
  mirror=$(apt_mirror) || fail "could not read a Debian mirror from /etc/apt/sources.list*; set one in the apt sources"
  rootfs=$(mktemp -d)
  scratch+=("$rootfs")
  say "bootstrapping Debian bookworm (minbase) from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$build_log" 2>&1 ||
    fail "debootstrap failed: $(tail -n 20 "$build_log")"
  install -D -m 0644 "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' -c 'CMD ["bash"]' - "$debian_tag" >/dev/null
fi

# 2. The stand-ins, each FROM the Debian base.
base_id=${debian_tag##*-}
node_tag=todo-base/node:24-$(recipe_hash node)-$base_id
if ! have_image "$node_tag"; then
  ctx=$(mktemp -d)
  scratch+=("$ctx")
  pkg=$(node_package) || fail "no Node package for $(uname -m); install Docker Desktop or use a machine with an image registry"
  (cd "$ctx" && npm pack --silent "$pkg@24" npm@11 >/dev/null) || fail "could not fetch Node 24 and npm 11 from the npm registry"
  mkdir "$ctx/n" "$ctx/m"
  tar -xzf "$ctx/$pkg"-*.tgz -C "$ctx/n" && tar -xzf "$ctx"/npm-*.tgz -C "$ctx/m"
  mv "$ctx/n/package/bin/node" "$ctx/node" && mv "$ctx/m/package" "$ctx/npm"
  rm -rf "$ctx/n" "$ctx/m" "$ctx"/*.tgz
  cp "$here/base-images/node/Dockerfile" "$ctx/"
  docker_build "$node_tag" "$ctx" --build-arg "BASE_IMAGE=$debian_tag"
fi

declare -A built=([NODE_IMAGE]=$node_tag)
for name in postgres redis caddy registry; do
  tag=todo-base/$name:$(recipe_hash "$name")-$base_id
  have_image "$tag" || docker_build "$tag" "$here/base-images/$name" --build-arg "BASE_IMAGE=$debian_tag"
  built[${name^^}_IMAGE]=$tag
done

# 3. Publish the overrides (rewritten only when they change).
new=$(
  echo "# Written by scripts/base-images.sh: no image registry answers on this machine,"
  echo "# so these locally built images stand in for the official ones."
  for var in $(printf '%s\n' "${!built[@]}" | sort); do echo "$var=${built[$var]}"; done
)
if [ "$(cat "$env_file" 2>/dev/null)" != "$new" ]; then
  printf '%s\n' "$new" >"$env_file"
  say "offline base images ready; overrides in $env_file"
fi
