#!/usr/bin/env bash
# The local single-node Kubernetes cluster that `npm run sim -- --platform kubernetes`
# rehearses on, built from reachable sources only: the Kubernetes v1.34 components,
# Helm, CoreDNS, Traefik (the ingress controller) and kubeconform with Go through
# the Go module proxy; etcd, containerd, runc and the CNI plugins from Debian's
# packages; the chart's offline schemas from PyPI (kubernetes-validate).
#
# Everything lands in $PROVISION_CACHE_DIR/kubernetes/bin (outside the clone, so a
# fresh clone on the same machine reuses it). The first time takes about 20 min
# on 2 cores (mostly compiling); after that this is silent and takes a second.
#
# Only for root on Debian-like Linux (the cluster changes iptables, mounts and
# cgroups). Elsewhere it does nothing (and says why when PROVISION_KUBERNETES=1
# asks for it). PROVISION_KUBERNETES=0 skips it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

KUBERNETES_VERSION=${KUBERNETES_VERSION:-v1.34.4}
HELM_VERSION=${HELM_VERSION:-v3.22.0}
COREDNS_VERSION=${COREDNS_VERSION:-v1.14.7}
TRAEFIK_VERSION=${TRAEFIK_VERSION:-v3.6.12}
KUBECONFORM_VERSION=${KUBECONFORM_VERSION:-v0.8.0}
KUBERNETES_VALIDATE_VERSION=${KUBERNETES_VALIDATE_VERSION:-1.37.0}
SCHEMA_KUBERNETES_VERSION=${SCHEMA_KUBERNETES_VERSION:-1.34.0}

[ "${PROVISION_KUBERNETES:-1}" = 0 ] && exit 0
if [ "$(uname -s)" != Linux ] || ! is_root || ! command -v apt-get >/dev/null; then
  [ "${PROVISION_KUBERNETES:-}" = 1 ] && fail "the local Kubernetes cluster needs root on Debian-like Linux"
  exit 0
fi

root="$PROVISION_CACHE_DIR/kubernetes"
bin="$root/bin"
mkdir -p "$bin"

find_go() {
  local go
  go=$(command -v go || true)
  [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
  if [ -z "$go" ]; then
    say "installing Go from Debian's packages (to build the cluster's programs)"
    apt_install golang-go
    go=$(command -v go)
  fi
  printf '%s\n' "$go"
}

# has NAME VERSION: the cached binary NAME was built at VERSION.
has() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.version" 2>/dev/null)" = "$2" ]; }
mark() { printf '%s\n' "$2" >"$bin/.$1.version"; }

# built NAME VERSION LOG: report a build's failure with its log's last lines.
build_failed() { fail "building $1 $2 failed (log: $3): $(tail -n 3 "$3" | tr '\n' ' ')"; }

# 1. Debian packages, without letting their services start (policy-rc.d 101).
need=()
command -v etcd >/dev/null || need+=(etcd-server)
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v conntrack >/dev/null || need+=(conntrack)
command -v iptables >/dev/null || need+=(iptables)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} from Debian's packages (their services stay stopped)"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt_install "${need[@]}"
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

go=""
k8s_components=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

# 2. Kubernetes. `go install k8s.io/kubernetes/cmd/...@v1.34.x` is refused (its go.mod
# replaces the staging modules with local folders), so a wrapper module requires
# k8s.io/kubernetes and maps each staging replace to its published v0.34.x.
build_kubernetes() {
  local work="$root/build/kubernetes-$KUBERNETES_VERSION" log="$root/build/kubernetes.log" minor
  minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  say "building Kubernetes $KUBERNETES_VERSION with $("$go" version | cut -d' ' -f3) (once, about 10 min on 2 cores; the binaries are cached)"
  mkdir -p "$work"
  (
    set -euo pipefail
    cd "$work"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
    "$go" mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" >/dev/null
    local mod
    mod="$("$go" env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBERNETES_VERSION.mod"
    {
      echo "module kubernetesbuild"
      echo
      grep -E '^(go|godebug) ' "$mod"
      echo
      echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
      echo
      echo "replace ("
      grep -E '^\s*k8s.io/.* => ./staging' "$mod" | awk -v v="v0.$minor.${KUBERNETES_VERSION##*.}" '{ print "\t" $1 " => " $1 " " v }'
      echo ")"
    } >go.mod
    {
      printf '//go:build tools\n\npackage tools\n\nimport (\n'
      for c in "${k8s_components[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c"; done
      printf ')\n'
    } >tools.go
    "$go" mod tidy
    local ld="-s -w" p
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    done
    local pkgs=()
    for c in "${k8s_components[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
    nice -n 10 "$go" build -trimpath -ldflags "$ld" -o "$bin/" "${pkgs[@]}"
  ) >"$log" 2>&1 || build_failed Kubernetes "$KUBERNETES_VERSION" "$log"
  for c in "${k8s_components[@]}"; do mark "$c" "$KUBERNETES_VERSION"; done
  rm -rf "$work"
}

# go_install NAME VERSION PACKAGE: a program that `go install` builds.
go_install() {
  local name=$1 version=$2 package=$3 log="$root/build/$1.log"
  say "building $name $version (once, a few minutes; the binary is cached)"
  mkdir -p "$root/build"
  GOBIN="$bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 \
    nice -n 10 "$go" install -trimpath -ldflags '-s -w' "$package@$version" >"$log" 2>&1 ||
    build_failed "$name" "$version" "$log"
  mark "$name" "$version"
}

# Traefik's go.mod has replace directives too: it is built as the main module
# from its downloaded source. (v3.7 needs a dependency the module proxy refuses.)
build_traefik() {
  local log="$root/build/traefik.log" dir work status=0
  say "building Traefik $TRAEFIK_VERSION, the ingress controller (once, about 5 min; the binary is cached)"
  mkdir -p "$root/build"
  dir=$(GOFLAGS=-mod=mod "$go" mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" 2>"$log" |
    sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p') || true
  [ -d "$dir" ] || build_failed Traefik "$TRAEFIK_VERSION" "$log"
  work=$(mktemp -d)
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  (cd "$work" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 nice -n 10 "$go" build -trimpath \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
    -o "$bin/traefik" ./cmd/traefik) >>"$log" 2>&1 || status=$?
  rm -rf "$work"
  [ $status = 0 ] || build_failed Traefik "$TRAEFIK_VERSION" "$log"
  mark traefik "$TRAEFIK_VERSION"
}

built_any=0
for c in "${k8s_components[@]}"; do
  if ! has "$c" "$KUBERNETES_VERSION"; then
    go=${go:-$(find_go)}
    build_kubernetes
    built_any=1
    break
  fi
done
# Helm with its version and the Kubernetes version it assumes offline (helm
# template, helm lint) set as its own release builds set them; a plain build
# assumes Kubernetes 1.20 and refuses charts that need newer.
build_helm() {
  local log="$root/build/helm.log" source minor ld
  say "building Helm $HELM_VERSION (once, about 3 min; the binary is cached)"
  mkdir -p "$root/build"
  source=$(GOFLAGS=-mod=mod "$go" mod download -json "helm.sh/helm/v3@$HELM_VERSION" 2>"$log" |
    sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p') || true
  [ -d "$source" ] || build_failed Helm "$HELM_VERSION" "$log"
  minor=$(sed -nE 's/^[[:space:]]*k8s.io\/client-go v0\.([0-9]+)\..*/\1/p' "$source/go.mod" | head -n 1)
  ld="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ld="$ld -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=${minor:-34}"
  done
  GOBIN="$bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 \
    nice -n 10 "$go" install -trimpath -ldflags "$ld" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >>"$log" 2>&1 ||
    build_failed Helm "$HELM_VERSION" "$log"
  mark helm "$HELM_VERSION+versioned"
}
if ! has helm "$HELM_VERSION+versioned"; then
  go=${go:-$(find_go)}
  build_helm
  built_any=1
fi
if ! has kubeconform "$KUBECONFORM_VERSION"; then
  go=${go:-$(find_go)}
  go_install kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
  built_any=1
fi
if ! has coredns "$COREDNS_VERSION"; then
  go=${go:-$(find_go)}
  go_install coredns "$COREDNS_VERSION" github.com/coredns/coredns
  built_any=1
fi
if ! has traefik "$TRAEFIK_VERSION"; then
  go=${go:-$(find_go)}
  build_traefik
  built_any=1
fi
pause_source=$(cd "$here/../deploy/kubernetes/pause" && pwd)
pause_version=$(cat "$pause_source/main.go" | sha256sum | cut -c1-12)
if ! has pause "$pause_version"; then
  go=${go:-$(find_go)}
  (cd "$pause_source" && GOTOOLCHAIN=local CGO_ENABLED=0 "$go" build -trimpath -ldflags '-s -w' -o "$bin/pause" .) ||
    fail "building the pod sandbox (deploy/kubernetes/pause) failed"
  mark pause "$pause_version"
fi

# The cluster's own images, packed from those binaries (no registry needed).
images="$root/images"
mkdir -p "$images"
image() { # image NAME USER BINARY
  local version
  version=$(cat "$bin/.$1.version")
  [ "$(cat "$images/.$1.version" 2>/dev/null)" = "$version" ] && return 0
  python3 "$here/oci-image.py" "$images/$1.tar" "todo-rehearsal.local/$1:${version#v}" "$2" "/$3" "$bin/$3:/$3" ||
    fail "packing the $1 image failed"
  printf '%s\n' "$version" >"$images/.$1.version"
}
image pause 65535:65535 pause
image coredns 65532:65532 coredns
image traefik 65532:65532 traefik

# 3. Offline schemas for kubeconform: kubernetes-validate ships JSON schemas whose
# $refs point into one shared definitions file kubeconform cannot follow; each
# kind is rewritten into a standalone file.
schemas="$root/schemas"
schema_mark="$schemas/.version"
if [ "$(cat "$schema_mark" 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION/$SCHEMA_KUBERNETES_VERSION" ]; then
  venv="$root/build/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  say "making kubeconform's offline schemas for Kubernetes $SCHEMA_KUBERNETES_VERSION (once; they are cached)"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || fail "python3 could not make a virtual environment; install python3-venv and run this again"
    "$venv/bin/pip" install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" ||
      fail "pip could not install kubernetes-validate $KUBERNETES_VALIDATE_VERSION; pip's package index must answer"
  fi
  rm -rf "$schemas"
  "$venv/bin/python" "$here/kubernetes-schemas.py" "$SCHEMA_KUBERNETES_VERSION" "$schemas" ||
    fail "making the offline schemas failed"
  printf '%s\n' "$KUBERNETES_VALIDATE_VERSION/$SCHEMA_KUBERNETES_VERSION" >"$schema_mark"
  rm -rf "$venv"
fi

# helm, kubectl and kubeconform on PATH unless the machine has its own.
for tool in helm kubectl kubeconform; do
  command -v "$tool" >/dev/null || ln -sf "$bin/$tool" "/usr/local/bin/$tool"
done
[ $built_any = 0 ] || say "the local Kubernetes cluster's programs are ready in $bin"
