import { createHash } from 'node:crypto';

// An OCI / Docker registry through its HTTP API (distribution v2): read a
// manifest's digest and the image configuration it points at. Anonymous, or
// with a user and password (a token: GHCR takes a personal access token or
// GITHUB_TOKEN), following the registry's Bearer token challenge as docker does.

/** A link of the digest chain that does not hold: where, and what each side said. */
export class DigestMismatch extends Error {
  override name = 'DigestMismatch';
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface ManifestFacts {
  /** sha256:… of the manifest as the registry stores it: what `repo@sha256:…` names. */
  digest: string;
  /** sha256:… of the image configuration: the image id docker shows locally. */
  configDigest: string;
}

const manifestTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** http for a registry on this machine (how a local registry is reached), https for any other. */
export const registryBaseUrl = (host: string): string =>
  /^(localhost|127\.\d+\.\d+\.\d+)(:\d+)?$/.test(host) ? `http://${host}` : `https://${host}`;

export class RegistryClient {
  readonly host: string;
  readonly #credentials: RegistryCredentials | undefined;
  readonly #fetch: typeof fetch;
  #token: string | undefined;

  constructor(host: string, credentials?: RegistryCredentials, fetcher: typeof fetch = fetch) {
    this.host = host;
    this.#credentials = credentials;
    this.#fetch = fetcher;
  }

  /** Answers a Bearer challenge (WWW-Authenticate: Bearer realm=…,service=…,scope=…) with a token. */
  async #authorize(challenge: string): Promise<boolean> {
    const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
    const realm = field('realm');
    if (!/^bearer/i.test(challenge) || !realm) {
      // Basic: send the credentials as they are.
      if (!this.#credentials) return false;
      this.#token = undefined;
      return true;
    }
    const url = new URL(realm);
    for (const name of ['service', 'scope']) {
      const value = field(name);
      if (value) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = {};
    if (this.#credentials) {
      const { username, password } = this.#credentials;
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    const reply = await this.#fetch(url, { headers });
    if (!reply.ok) return false;
    const body = (await reply.json()) as { token?: string; access_token?: string };
    this.#token = body.token ?? body.access_token;
    return this.#token !== undefined;
  }

  async #get(path: string, accept: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
    const url = `${registryBaseUrl(this.host)}${path}`;
    const send = () => {
      const headers: Record<string, string> = { accept };
      if (this.#token) headers.authorization = `Bearer ${this.#token}`;
      else if (this.#credentials) {
        const { username, password } = this.#credentials;
        headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      }
      return this.#fetch(url, { method, headers });
    };
    let reply = await send();
    if (reply.status === 401 && (await this.#authorize(reply.headers.get('www-authenticate') ?? ''))) {
      reply = await send();
    }
    return reply;
  }

  /** The manifest `reference` (a tag or a digest) names in `repository`, or undefined when there is none. */
  async manifest(repository: string, reference: string): Promise<ManifestFacts | undefined> {
    const reply = await this.#get(`/v2/${repository}/manifests/${reference}`, manifestTypes);
    if (reply.status === 404) return undefined;
    if (!reply.ok) {
      throw new Error(
        `registry ${this.host}: GET /v2/${repository}/manifests/${reference} answered ${reply.status}`,
      );
    }
    const bytes = Buffer.from(await reply.arrayBuffer());
    // The digest is the sha256 of these very bytes; a header that says otherwise is not believed.
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const said = reply.headers.get('docker-content-digest');
    if (said && said !== digest) {
      throw new DigestMismatch(
        `registry ${this.host}: ${repository}:${reference} is said to be ${said}, but its manifest's bytes are ${digest}`,
      );
    }
    const manifest = JSON.parse(bytes.toString()) as { config?: { digest?: string } };
    if (!manifest.config?.digest) {
      throw new Error(
        `registry ${this.host}: the manifest of ${repository}:${reference} names no image configuration`,
      );
    }
    return { digest, configDigest: manifest.config.digest };
  }
}
