// The one way to Kubernetes: the local cluster (deploy/kubernetes/local-cluster),
// kubectl and helm against it or the user's own, the chart's releases, and the
// rehearsal on it.
export { kubeTools, KubeCommandError, type Kube, type KubeTarget } from './cli.ts';
export {
  localClusterBin,
  localClusterLeftovers,
  localClusterRunning,
  localClusterState,
  localClusterUnavailable,
  localIngressPort,
  localKube,
  stopLocalCluster,
  useLocalCluster,
  type LocalCluster,
} from './cluster.ts';
export {
  dataImages,
  namespaceCa,
  prepareNamespace,
  removeNamespace,
  type DataImages,
  type ImageUsers,
} from './environment.ts';
export { loadIntoLocalCluster, normalizedReference, type ClusterImage } from './images.ts';
export { componentOf, listPods, quantityBytes, serviceName, type Pod } from './pods.ts';
export {
  appChart,
  appRelease,
  currentRevision,
  dataChart,
  dataRelease,
  startKubernetesRehearsal,
  type KubernetesImages,
  type StartedKubernetesRehearsal,
} from './rehearsal.ts';
