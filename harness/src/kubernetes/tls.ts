// The rehearsal's TLS at the ingress: a throwaway CA per run and a certificate
// for localhost and 127.0.0.1 it signs, given to the Ingress as a Secret. The
// harness, k6 and the browser trust that CA only (the Compose rehearsal does
// the same with Caddy's own CA). A real cluster uses cert-manager or its own.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface IngressCertificate {
  /** PEM of the CA: what clients trust. */
  caCertificate: string;
  certificate: string;
  key: string;
}

export async function makeIngressCertificate(
  hosts: string[] = ['localhost', '127.0.0.1'],
): Promise<IngressCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-ingress-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  try {
    await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at('ca.key')]);
    await openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      at('ca.key'),
      '-out',
      at('ca.crt'),
      '-days',
      '7',
      '-subj',
      '/CN=todo rehearsal ingress CA',
    ]);
    await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at('tls.key')]);
    await openssl([
      'req',
      '-new',
      '-key',
      at('tls.key'),
      '-out',
      at('tls.csr'),
      '-subj',
      `/CN=${hosts[0] ?? 'localhost'}`,
    ]);
    const sans = hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    await writeFile(
      at('tls.ext'),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`,
    );
    await openssl([
      'x509',
      '-req',
      '-in',
      at('tls.csr'),
      '-CA',
      at('ca.crt'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('tls.crt'),
      '-days',
      '7',
      '-extfile',
      at('tls.ext'),
    ]);
    const [caCertificate, certificate, key] = await Promise.all(
      ['ca.crt', 'tls.crt', 'tls.key'].map((name) => readFile(at(name), 'utf8')),
    );
    return { caCertificate: caCertificate ?? '', certificate: certificate ?? '', key: key ?? '' };
  } catch (error) {
    throw new Error(`making the ingress certificate with openssl failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
