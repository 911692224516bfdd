#!/usr/bin/env bash
# Starts the local single-node Kubernetes cluster the rehearsal runs on (see
# ../README.md), or says it is running already. Root only: it runs its own
# containerd, changes iptables and makes cgroups. down.sh undoes all of it.
#
# Its parts come from scripts/kubernetes.sh (built once, cached). It prints the
# admin kubeconfig's path on stdout when the node is Ready and CoreDNS and the
# ingress controller (Traefik, on 127.0.0.1:$INGRESS_PORT) answer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ "$(id -u)" = 0 ] || die "the local cluster needs root (it runs containerd and changes iptables); run as root, or use your own cluster with --kube-context"
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl pause coredns traefik; do
  [ -x "$KUBE_BIN/$b" ] && [ -f "$KUBE_BIN/.$b.version" ] ||
    die "$KUBE_BIN/$b is missing; run: bash scripts/kubernetes.sh (about 20 min the first time)"
done
for image in pause coredns traefik; do
  [ -f "$KUBE_IMAGES/$image.tar" ] || die "$KUBE_IMAGES/$image.tar is missing; run: bash scripts/kubernetes.sh"
done
for b in etcd containerd runc ctr iptables openssl conntrack; do
  command -v "$b" >/dev/null || die "$b is missing; run: bash scripts/kubernetes.sh"
done
[ -x /usr/lib/cni/bridge ] || die "the CNI plugins are missing; run: bash scripts/kubernetes.sh"

pki="$KUBE_STATE/pki" run="$KUBE_STATE/run" logs="$KUBE_STATE/logs" conf="$KUBE_STATE/conf"
if running kube-apiserver && kubectl_ get --raw /readyz >/dev/null 2>&1; then
  say "already running (kubeconfig $pki/admin.kubeconfig)"
  printf '%s\n' "$pki/admin.kubeconfig"
  exit 0
fi
if [ -d "$run" ]; then
  say "a stopped or half-started cluster is left in $KUBE_STATE; cleaning it first"
  bash "$here/down.sh" >&2
fi
mkdir -p "$pki" "$run" "$logs" "$conf/cni"

# The node's address: the one the default route leaves from (pods reach the API server there).
default_dev=$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
NODE_IP=$(ip -4 -o addr show dev "${default_dev:-eth0}" | awk '{ split($4, a, "/"); print a[1]; exit }')
[ -n "$NODE_IP" ] || die "no IPv4 address on the default route's interface; the node needs one"

# What the kubelet and kube-proxy may change, to restore at teardown.
for key in $SAVED_SYSCTLS; do
  value=$(sysctl -n "$key" 2>/dev/null) && printf '%s %s\n' "$key" "$value"
done >"$KUBE_STATE/sysctls.before"

# --- certificates: a throwaway CA per start (ECDSA: fast on 2 cores) ----------
cd "$pki"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 30 -subj "/CN=todo-rehearsal-ca" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out sa.key
openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
cert() { # cert NAME CN [O] [SANS]
  local name=$1 cn=$2 org=${3:-} sans=${4:-}
  openssl ecparam -name prime256v1 -genkey -noout -out "$name.key"
  openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$cn${org:+/O=$org}" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$sans" ]; then
      echo "extendedKeyUsage=serverAuth,clientAuth"
      echo "subjectAltName=$sans"
    else
      echo "extendedKeyUsage=clientAuth"
    fi
  } >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days 30 -extfile "$name.ext" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
cert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.96.0.1,IP:$NODE_IP"
cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
cert admin todo-rehearsal-admin system:masters
cert controller-manager system:kube-controller-manager
cert scheduler system:kube-scheduler
cert kubelet "system:node:$NODE_NAME" system:nodes "DNS:$NODE_NAME,IP:$NODE_IP,IP:127.0.0.1"
cert kube-proxy system:kube-proxy
for user in admin controller-manager scheduler kubelet kube-proxy; do
  cat >"$user.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: todo-rehearsal
    cluster: {certificate-authority: $pki/ca.crt, server: "https://127.0.0.1:$APISERVER_PORT"}
users:
  - name: $user
    user: {client-certificate: $pki/$user.crt, client-key: $pki/$user.key}
contexts:
  - name: todo-rehearsal
    context: {cluster: todo-rehearsal, user: $user}
current-context: todo-rehearsal
EOF
done
cd - >/dev/null

# --- configuration --------------------------------------------------------------
# Its own containerd (root, state, socket), never Docker's. This machine's root lacks
# CAP_SYS_RESOURCE: restrict_oom_score_adj keeps runc from failing every sandbox.
cat >"$conf/containerd.toml" <<EOF
version = 2
root = "$run/containerd/root"
state = "$run/containerd/state"
[grpc]
  address = "$run/containerd/containerd.sock"
[ttrpc]
  address = "$run/containerd/containerd.sock.ttrpc"
[debug]
  address = "$run/containerd/debug.sock"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "todo-rehearsal.local/pause:$(cat "$KUBE_BIN/.pause.version")"
  enable_selinux = false
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
        Root = "$run/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$conf/cni"
[plugins."io.containerd.internal.v1.opt"]
  path = "$run/containerd/opt"
EOF

cat >"$conf/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$run/containerd/containerd.sock
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
address: $NODE_IP
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
serializeImagePulls: false
# Images are imported, never pulled: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
maxPods: 40
podLogsDir: $run/pod-logs
EOF

# iptables mode; the host's conntrack settings and route_localnet stay as they are.
cat >"$conf/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $pki/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: 0.0.0.0
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["primary"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF

# A bridge with host-local addresses; the firewall plugin opens FORWARD (Docker sets it to DROP).
cat >"$conf/cni/10-todo-rehearsal.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "todo-rehearsal",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$run/cni-ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "firewall"},
    {"type": "loopback"}
  ]
}
EOF

# --- start -------------------------------------------------------------------------
start() { # start NAME COMMAND...
  local name=$1
  shift
  nohup "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}
wait_for() { # wait_for WHAT SECONDS COMMAND...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "$what did not come up within ${seconds} s; its log: $logs/$what.log ($(tail -n 2 "$logs/$what.log" 2>/dev/null | tr '\n' ' '))"
}
started=$(date +%s)

start containerd containerd --config "$conf/containerd.toml"
wait_for containerd 30 ctr_ version
for archive in "$KUBE_IMAGES"/*.tar; do
  ctr_ images import "$archive" >/dev/null || die "importing $archive into the cluster's containerd failed"
done

start etcd etcd --name "$NODE_NAME" --data-dir "$run/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "$NODE_NAME=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "" \
  --quota-backend-bytes 1073741824
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

start kube-apiserver "$KUBE_BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=0.0.0.0 --secure-port="$APISERVER_PORT" --advertise-address="$NODE_IP" \
  --service-cluster-ip-range="$SERVICE_CIDR" --cert-dir="$run/apiserver" --anonymous-auth=false \
  --client-ca-file="$pki/ca.crt" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP,Hostname \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction --allow-privileged=false --profiling=false
wait_for kube-apiserver 60 kubectl_ get --raw /readyz

start kube-controller-manager "$KUBE_BIN/kube-controller-manager" --kubeconfig="$pki/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$pki/controller-manager.kubeconfig" --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --use-service-account-credentials=true --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
  --service-cluster-ip-range="$SERVICE_CIDR" --leader-elect=false --bind-address=127.0.0.1 --cert-dir="$run/kcm" \
  --profiling=false
start kube-scheduler "$KUBE_BIN/kube-scheduler" --kubeconfig="$pki/scheduler.kubeconfig" \
  --authentication-kubeconfig="$pki/scheduler.kubeconfig" --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
  --leader-elect=false --bind-address=127.0.0.1 --profiling=false
start kubelet "$KUBE_BIN/kubelet" --config="$conf/kubelet.yaml" --kubeconfig="$pki/kubelet.kubeconfig" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --root-dir="$run/kubelet"
start kube-proxy "$KUBE_BIN/kube-proxy" --config="$conf/kube-proxy.yaml"
node_ready() { kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -q True; }
wait_for kubelet 120 node_ready

# --- add-ons: DNS and the front door ---------------------------------------------------
sed -e "s|@DNS_IP@|$DNS_IP|g" -e "s|@COREDNS_VERSION@|$(cat "$KUBE_BIN/.coredns.version" | sed 's/^v//')|g" \
  "$here/coredns.yaml" | kubectl_ apply -f - >/dev/null
sed -e "s|@INGRESS_PORT@|$INGRESS_PORT|g" -e "s|@PRODUCTION_PORT@|$((INGRESS_PORT + 1))|g" -e "s|@STAGING_PORT@|$((INGRESS_PORT + 2))|g" -e "s|@TRAEFIK_VERSION@|$(cat "$KUBE_BIN/.traefik.version" | sed 's/^v//')|g" \
  "$here/traefik.yaml" | kubectl_ apply -f - >/dev/null
kubectl_ -n kube-system rollout status deploy/coredns --timeout=120s >/dev/null ||
  die "CoreDNS did not become ready; kubectl --kubeconfig $pki/admin.kubeconfig -n kube-system logs deploy/coredns"
kubectl_ -n traefik rollout status deploy/traefik --timeout=120s >/dev/null ||
  die "Traefik did not become ready; kubectl --kubeconfig $pki/admin.kubeconfig -n traefik logs deploy/traefik"
say "ready in $(($(date +%s) - started)) s: node $NODE_NAME ($NODE_IP), ingress https://127.0.0.1:$INGRESS_PORT"
printf '%s\n' "$pki/admin.kubeconfig"
