// A second way into a rehearsal, from another client address. Every request
// from this machine reaches the proxy through Docker's port publishing, so from
// one address (the network's gateway). This relay is a container of its own on
// the proxy's network: what goes through it reaches the proxy from the relay's
// address, a real other client, without anyone trusting a header. TLS passes
// through untouched (a TCP relay), so certificates, Host and Origin are the
// stack's own. The lockout and security scenarios use it to sign the owner in
// while a stranger is being refused.
import { auxiliaryLabel, projectLabel, removeContainers, runContainer } from '../docker/index.ts';
import { routedFetch, type TrustedFetch } from './trusted-fetch.ts';

const relayPort = 9443;

// Runs in the backend image (Node, nothing else needed): each connection piped
// to the proxy and back, both closed together.
const relay = `
const net = require('node:net');
const [host, port] = [process.env.RELAY_TO_HOST, Number(process.env.RELAY_TO_PORT)];
net.createServer((client) => {
  const upstream = net.connect(port, host);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}).listen(${relayPort}, () => console.log('relay: listening'));
process.on('SIGTERM', () => process.exit(0));
`;

export interface SecondAddress {
  /** fetch like the stack's own, reaching the proxy from the relay's address. */
  fetch: TrustedFetch;
  stop(): Promise<void>;
}

export async function startSecondAddress(options: {
  projectName: string;
  network: string;
  image: string;
  /** The proxy, as the relay reaches it on the network. */
  to: { host: string; port: number };
  caCertificate: string;
  /** Any URL of the stack that answers 2xx, to know the way is open. */
  probeUrl: string;
}): Promise<SecondAddress> {
  const { id, hostPort } = await runContainer({
    image: options.image,
    env: { RELAY_TO_HOST: options.to.host, RELAY_TO_PORT: String(options.to.port) },
    command: ['node', '-e', relay],
    network: options.network,
    publish: relayPort,
    labels: {
      [projectLabel]: options.projectName,
      'com.docker.compose.service': 'second-address',
      [auxiliaryLabel]: 'true',
    },
    memoryBytes: 64 * 1024 * 1024,
    cpus: 0.25,
  });
  const stop = () => removeContainers([id]);
  try {
    if (!hostPort) throw new Error(`the second-address relay has no published port ${relayPort}`);
    const fetch = routedFetch({ ca: options.caCertificate, via: hostPort });
    const deadline = Date.now() + 15_000;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      try {
        const answer = await fetch(options.probeUrl, { redirect: 'manual' });
        if (answer.ok) return { fetch, stop };
        last = `HTTP ${answer.status}`;
      } catch (error) {
        last =
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the second-address relay did not reach ${options.probeUrl} in 15 s (last: ${last})`);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
