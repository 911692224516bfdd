#!/usr/bin/env bash
# Stops the local cluster up.sh started and undoes what it changed on the host:
# every process (by its pid), the pods' containers and shims, the CNI bridge,
# the KUBE-/CNI- iptables chains, mounts under the state folder, the kubepods
# cgroups and the sysctls the kubelet changed. Safe to run twice, or on a
# half-started cluster. `check.sh` tells whether anything is left.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ "$(id -u)" = 0 ] || die "stopping the local cluster needs root"
run="$KUBE_STATE/run"
[ -d "$run" ] || exit 0

stop() { # stop NAME: TERM, then KILL after 10 s
  local file="$run/$1.pid" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$file"
}

# 1. Pods first, while the kubelet can still tear their networks down (CNI DEL).
if running kube-apiserver && kubectl_ get --raw /readyz >/dev/null 2>&1; then
  for ns in $(kubectl_ get namespaces -o jsonpath='{.items[*].metadata.name}' 2>/dev/null); do
    kubectl_ -n "$ns" delete deployments,statefulsets,daemonsets,jobs,replicasets,pods --all \
      --wait=false --grace-period=2 >/dev/null 2>&1
  done
  for _ in $(seq 1 40); do
    [ -z "$(kubectl_ get pods -A -o name 2>/dev/null)" ] && break
    sleep 0.5
  done
fi
stop kube-proxy
"$KUBE_BIN/kube-proxy" --cleanup >/dev/null 2>&1
stop kubelet
stop kube-scheduler
stop kube-controller-manager
stop kube-apiserver
stop etcd

# 2. Containers the kubelet did not stop, then containerd and its shims.
if [ -S "$run/containerd/containerd.sock" ] && running containerd; then
  for task in $(ctr_ tasks list -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$task" >/dev/null 2>&1; done
  sleep 0.5
  for task in $(ctr_ tasks list -q 2>/dev/null); do ctr_ tasks delete -f "$task" >/dev/null 2>&1; done
  for container in $(ctr_ containers list -q 2>/dev/null); do ctr_ containers delete "$container" >/dev/null 2>&1; done
fi
stop containerd
pkill -f "containerd-shim-runc-v2 .*-address $run/containerd/containerd.sock" 2>/dev/null
sleep 0.2
pkill -9 -f "containerd-shim-runc-v2 .*-address $run/containerd/containerd.sock" 2>/dev/null

# 3. Network: the bridge and its veths, and the chains named KUBE-* and CNI-*
# (only Kubernetes and the CNI plugins use those names; Docker's are DOCKER-*).
ip link delete "$BRIDGE" 2>/dev/null
for table in filter nat mangle raw; do
  iptables-save -t "$table" 2>/dev/null | grep -E '^-A [A-Z]+ .*-j (KUBE|CNI)-' | grep -vE '^-A (KUBE|CNI)-' |
    sed 's/^-A /-D /' | while read -r rule; do eval "iptables -t $table $rule" 2>/dev/null; done
  chains=$(iptables-save -t "$table" 2>/dev/null | grep -oE '^:(KUBE|CNI)-[^ ]+' | tr -d :)
  for chain in $chains; do iptables -t "$table" -F "$chain" 2>/dev/null; done
  for chain in $chains; do iptables -t "$table" -X "$chain" 2>/dev/null; done
done
if command -v ip6tables-save >/dev/null; then
  for table in filter nat mangle; do
    ip6tables-save -t "$table" 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' |
      sed 's/^-A /-D /' | while read -r rule; do eval "ip6tables -t $table $rule" 2>/dev/null; done
    chains=$(ip6tables-save -t "$table" 2>/dev/null | grep -oE '^:KUBE-[^ ]+' | tr -d :)
    for chain in $chains; do ip6tables -t "$table" -F "$chain" 2>/dev/null; done
    for chain in $chains; do ip6tables -t "$table" -X "$chain" 2>/dev/null; done
  done
fi

# 4. Mounts under the state folder (deepest first), the kubelet's cgroups, sysctls.
grep -F " $KUBE_STATE/" /proc/mounts | awk '{ print $2 }' | sort -r | while read -r mount; do
  umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null
done
for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
  [ -d "${hierarchy}kubepods" ] && find "${hierarchy}kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
done
if [ -f "$KUBE_STATE/sysctls.before" ]; then
  while read -r key value; do sysctl -qw "$key=$value" 2>/dev/null; done <"$KUBE_STATE/sysctls.before"
fi

if grep -qF " $KUBE_STATE/" /proc/mounts; then
  say "mounts are left under $KUBE_STATE; not removing it"
  exit 1
fi
rm -rf "$run" "$KUBE_STATE/pki" "$KUBE_STATE/conf"
say "stopped; logs kept in $KUBE_STATE/logs"
