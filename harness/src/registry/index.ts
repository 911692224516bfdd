export {
  DigestMismatch,
  RegistryClient,
  registryBaseUrl,
  type ManifestFacts,
  type RegistryCredentials,
} from './client.ts';
export { pushByDigest, splitRegistry, type PushedImage } from './push.ts';
