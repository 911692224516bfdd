// A real OCI registry on 127.0.0.1 (distribution: the official registry:2,
// or Debian's docker-registry built offline): what the images are pushed to
// and what the platform stand-ins pull from, by digest. Docker treats
// registries on 127.0.0.0/8 as plain HTTP, so no TLS is needed here.
import { projectLabel, runContainer } from '../docker/index.ts';
import { registryImage } from '../images/index.ts';

export async function startRegistry(project: string, network: string): Promise<{ host: string }> {
  const { hostPort } = await runContainer({
    image: registryImage(),
    env: {},
    network,
    publish: 5000,
    labels: { [projectLabel]: project, 'com.docker.compose.service': 'registry' },
  });
  if (!hostPort) throw new Error('the registry has no published port');
  const host = `127.0.0.1:${hostPort}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (reply) => reply.status === 200,
      () => false,
    );
    if (ok) return { host };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the registry at ${host} did not answer /v2/ in 20 s`);
}
