#!/usr/bin/env bash
# Prints what the local cluster left on the host, one line each, and exits 1 when
# anything is left: a process, a shim, the bridge, a KUBE-/CNI- iptables chain, a
# mount under the state folder, a kubepods cgroup, a sysctl not back to its value
# from before up.sh. Nothing printed and exit 0: the host is as it was.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

left=0
leftover() {
  printf '%s\n' "$*"
  left=1
}
for name in $COMPONENTS; do
  running "$name" && leftover "process: $name ($(cat "$KUBE_STATE/run/$name.pid"))"
done
for bin in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
  pgrep -f "^$KUBE_BIN/$bin" >/dev/null && leftover "process: $KUBE_BIN/$bin"
done
pgrep -f "containerd-shim-runc-v2 .*-address $KUBE_STATE/" >/dev/null && leftover "process: containerd shims of $KUBE_STATE"
pgrep -f "containerd --config $KUBE_STATE/" >/dev/null && leftover "process: containerd of $KUBE_STATE"
ip link show "$BRIDGE" >/dev/null 2>&1 && leftover "network: bridge $BRIDGE"
for table in filter nat mangle raw; do
  chains=$(iptables-save -t "$table" 2>/dev/null | grep -oE '^:(KUBE|CNI)-[^ ]+' | tr -d : | tr '\n' ' ')
  [ -n "$chains" ] && leftover "iptables ($table): $chains"
done
grep -F " $KUBE_STATE/" /proc/mounts | awk '{ print "mount: " $2 }' | while read -r line; do echo "$line"; done | grep . && left=1
for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
  [ -d "${hierarchy}kubepods" ] && leftover "cgroup: ${hierarchy}kubepods"
done
if [ -f "$KUBE_STATE/sysctls.before" ]; then
  while read -r key value; do
    now=$(sysctl -n "$key" 2>/dev/null)
    [ "$now" = "$value" ] || leftover "sysctl: $key is $now, was $value"
  done <"$KUBE_STATE/sysctls.before"
fi
exit $left
