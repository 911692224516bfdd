import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { localSecrets, scanFiles, secretsInStep } from './secret-scan.ts';

const pemKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A tar of these files, handed over in small pieces (as a socket would) so matches can span them. */
async function tarOf(files: Record<string, string | Buffer>, pieceBytes = 1000): Promise<Readable> {
  const archive = pack();
  for (const [name, content] of Object.entries(files)) archive.entry({ name }, content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  const whole = Buffer.concat(chunks);
  const pieces: Buffer[] = [];
  for (let at = 0; at < whole.length; at += pieceBytes) pieces.push(whole.subarray(at, at + pieceBytes));
  return Readable.from(pieces);
}

describe('scanFiles', () => {
  it('finds a nested env file, its secret values and a private key, and names no value', async () => {
    const scan = await scanFiles(
      await tarOf({
        'app/backend/some/.env': 'DATABASE_URL=postgres://x\nAUTH_SECRET=planted-secret-0123456789\n',
        'app/frontend/.env.production': 'export API_TOKEN="tok_0123456789abcdef"\n',
        'app/keys/deploy.key': pemKey,
        'app/.npmrc': '//example.invalid/:_authToken=npm_0123456789\n',
      }),
    );
    expect(scan.findings).toEqual([
      { place: '/app/backend/some/.env', what: 'an env file' },
      { place: '/app/backend/some/.env', what: 'a AUTH_SECRET= value' },
      { place: '/app/frontend/.env.production', what: 'an env file' },
      { place: '/app/frontend/.env.production', what: 'a API_TOKEN= value' },
      { place: '/app/keys/deploy.key', what: 'a PEM private key' },
      { place: '/app/.npmrc', what: 'an npm token' },
    ]);
    expect(JSON.stringify(scan.findings)).not.toContain('planted-secret');
  });

  it('sees a secret that straddles two pieces of the stream, deep in a large binary', async () => {
    const known = { source: '.env AUTH_SECRET', value: 'known-value-that-must-stay-home' };
    const binary = Buffer.concat([Buffer.alloc(70_001, 0xff), Buffer.from(known.value), Buffer.alloc(9_000)]);
    const scan = await scanFiles(await tarOf({ 'usr/bin/tool': binary }, 997), [known]);
    expect(scan.findings).toEqual([{ place: '/usr/bin/tool', what: 'the value of .env AUTH_SECRET' }]);
  });

  it('passes what is not a secret: the example env file, names of variables, messages about them', async () => {
    const scan = await scanFiles(
      await tarOf({
        'app/.env.example':
          'AUTH_SECRET=\nMETRICS_TOKEN=\nDATABASE_URL=postgres://todo:todo@localhost:5432/todo\n',
        'app/dist/main.mjs':
          'const s = process.env.AUTH_SECRET; throw new Error("set AUTH_SECRET=<32 random bytes>");\n' +
          'const p = `PASSWORD=${value}`; -----BEGIN PUBLIC KEY-----\n' +
          'var a=1;ID_TOKEN_TOLERANCE=300,DEFAULT_SECRET=computeDefault(),b.API_TOKEN=readFromEnv();\n',
        'etc/ssl/certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        // A TLS library's header constants, not a key.
        'usr/lib/libtls.so': Buffer.from(
          '\x7fELF\0-----BEGIN RSA PRIVATE KEY-----\0-----BEGIN PRIVATE KEY-----\n\0',
        ),
      }),
    );
    expect(scan.findings).toEqual([]);
    expect(scan.paths).toHaveLength(4);
  });
});

describe('secretsInStep', () => {
  it('reads history steps: build arguments and ENV with values', () => {
    expect(secretsInStep('|2 AUTH_SECRET=abcdefgh12345 VERSION=1 /bin/sh -c npm ci')).toEqual([
      'a AUTH_SECRET= value',
    ]);
    expect(secretsInStep('/bin/sh -c #(nop)  ENV POSTGRES_PASSWORD=hunter2hunter2')).toEqual([
      'a POSTGRES_PASSWORD= value',
    ]);
    expect(secretsInStep('/bin/sh -c #(nop)  ENV NODE_ENV=production PORT=3000')).toEqual([]);
  });
});

describe('localSecrets', () => {
  it('takes the secret values of .env and .platforms.env, and the key material of .gate/ private keys', () => {
    const root = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(
      join(root, '.env'),
      'AUTH_SECRET=local-auth-secret-value\nPORT=3000\nMETRICS_TOKEN=short\n',
    );
    writeFileSync(join(root, '.platforms.env'), 'RAILWAY_TOKEN=railway-token-value-1\n');
    mkdirSync(join(root, '.gate'));
    writeFileSync(join(root, '.gate', 'signing-key.pem'), pemKey);
    writeFileSync(join(root, '.gate', 'public-key.pem'), '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n');
    const secrets = localSecrets(root);
    expect(secrets.map((secret) => secret.source)).toEqual([
      '.env AUTH_SECRET',
      '.platforms.env RAILWAY_TOKEN',
      '.gate/signing-key.pem',
    ]);
    expect(pemKey).toContain(secrets[2]?.value);
  });
});
