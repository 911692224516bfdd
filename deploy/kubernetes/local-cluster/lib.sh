# Shared by up.sh and down.sh: where the local cluster keeps its binaries and state.
# Sourced, never run.
KUBE_BIN=${KUBE_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-rehearsal/kubernetes/bin}
KUBE_IMAGES=${KUBE_IMAGES:-$(dirname "$KUBE_BIN")/images}
# Short: containerd's sockets live under it (a unix socket path must stay under 108 bytes).
KUBE_STATE=${KUBE_STATE:-/var/lib/todo-rehearsal/cluster}
NODE_NAME=todo-rehearsal
BRIDGE=todokube0
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10
APISERVER_PORT=${APISERVER_PORT:-16443}
ETCD_PORT=${ETCD_PORT:-12379}
# The front door: Traefik on the host's loopback only.
INGRESS_PORT=${INGRESS_PORT:-18443}
# Host settings the kubelet and kube-proxy may change; restored at teardown.
SAVED_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward"
COMPONENTS="kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd"

say() { printf '[cluster] %s\n' "$*" >&2; }
die() {
  printf '[cluster] %s\n' "$*" >&2
  exit 1
}
kubectl_() { "$KUBE_BIN/kubectl" --kubeconfig "$KUBE_STATE/pki/admin.kubeconfig" "$@"; }
ctr_() { ctr --address "$KUBE_STATE/run/containerd/containerd.sock" --namespace k8s.io "$@"; }
running() { [ -f "$KUBE_STATE/run/$1.pid" ] && kill -0 "$(cat "$KUBE_STATE/run/$1.pid")" 2>/dev/null; }
