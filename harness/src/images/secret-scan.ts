// Whether an image holds anything secret-like: in the files of the layers our
// Dockerfiles add (a file a later layer deletes is still in its layer), in how
// its layers were made, in its configuration. The base image's own layers are
// its publisher's (a TLS library's self-test keys, npm's manual with token
// examples). Findings name the place and the kind of secret, never its value.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { parseEnv } from 'node:util';
import { extract } from 'tar-stream';
import { imageMetadata, saveImage } from '../docker/index.ts';
import { repoRoot } from '../paths.ts';

export interface SecretFinding {
  /** A file's path, or a history step or configuration field. */
  place: string;
  /** What kind of secret, e.g. "a PEM private key" (never the value). */
  what: string;
}

/** A value that must never leave this machine, by where it came from (e.g. ".env AUTH_SECRET"). */
export interface KnownSecret {
  source: string;
  value: string;
}

export interface FilesScan {
  /** Every path in the archive, without a leading slash. */
  paths: string[];
  findings: SecretFinding[];
}

const secretName = String.raw`[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY)[A-Z0-9_]*`;
const secretValue = String.raw`['"]?([^\s'"$\`{]{8,})`;
/** NAME=value on a line of its own, as an env file or a shell script writes it (not code: `a.B_TOKEN=x`). */
const fileAssignment = new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?(${secretName})=${secretValue}`, 'gm');
/** NAME=value anywhere in a build step: an ENV, a build argument (`|1 NAME=value`), a command. */
const stepAssignment = new RegExp(String.raw`(?:^|[\s|;])(?:export\s+)?(${secretName})=${secretValue}`, 'gm');
/** A PEM private key with its key material (a library's header constant alone is not one). */
const pemPrivateKey =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\r?\n(?:[A-Za-z-]+: [^\n]*\n)*\r?\n?[A-Za-z0-9+/=]{40}/;
const npmToken = /_authToken\s*=\s*[^\s$]/;

/** Secrets told by a file's name alone. */
function nameFinding(path: string): string | undefined {
  const name = basename(path);
  if (name === '.env.example') return undefined;
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'an env file';
  if (/^id_(?:rsa|ecdsa|ed25519)$/.test(name)) return 'an SSH private key';
  if (name === 'signing-key.pem') return "the gate's signing key";
  return undefined;
}

function kindsIn(text: string, known: readonly KnownSecret[], assignment: RegExp): string[] {
  const kinds = new Set<string>();
  if (pemPrivateKey.test(text)) kinds.add('a PEM private key');
  if (npmToken.test(text)) kinds.add('an npm token');
  for (const match of text.matchAll(assignment)) kinds.add(`a ${match[1] ?? ''}= value`);
  for (const secret of known) if (text.includes(secret.value)) kinds.add(`the value of ${secret.source}`);
  return [...kinds];
}

/** Secrets in a file's text: their kinds, deduplicated. */
export const secretsInFile = (text: string, known: readonly KnownSecret[] = []): string[] =>
  kindsIn(text, known, fileAssignment);

/** Secrets in a build step, a variable, a label or a command: their kinds, deduplicated. */
export const secretsInStep = (text: string, known: readonly KnownSecret[] = []): string[] =>
  kindsIn(text, known, stepAssignment);

/** Longest text a pattern can span: kept from one chunk to the next so a match across them is seen. */
const overlap = 4096;

async function scanContent(entry: AsyncIterable<unknown>, known: readonly KnownSecret[]): Promise<string[]> {
  const kinds = new Set<string>();
  let tail = '';
  for await (const chunk of entry) {
    // latin1: one character per byte, so binaries scan too and nothing is lost.
    const text = tail + (chunk as Buffer).toString('latin1');
    for (const kind of secretsInFile(text, known)) kinds.add(kind);
    tail = text.slice(-overlap);
  }
  return [...kinds];
}

/** The entries of a tar stream, one after the other (each must be read or resumed). */
function tarEntries(tar: Readable) {
  const entries = extract();
  tar.on('error', (error: Error) => {
    entries.destroy(error);
  });
  tar.pipe(entries);
  return entries;
}

/** Scans a tar archive (an image layer, a build context): every file's name and content. */
export async function scanFiles(tar: Readable, known: readonly KnownSecret[] = []): Promise<FilesScan> {
  const entries = tarEntries(tar);
  const paths: string[] = [];
  const findings: SecretFinding[] = [];
  for await (const entry of entries) {
    const path = entry.header.name.replace(/^\.?\//, '');
    paths.push(path);
    if (entry.header.type !== 'file') {
      entry.resume();
      continue;
    }
    const byName = nameFinding(path);
    if (byName) findings.push({ place: `/${path}`, what: byName });
    for (const what of await scanContent(entry, known)) findings.push({ place: `/${path}`, what });
  }
  return { paths, findings };
}

/** History steps, variables, labels and command of an image. */
function scanMetadata(
  metadata: Awaited<ReturnType<typeof imageMetadata>>,
  known: readonly KnownSecret[],
): SecretFinding[] {
  const places: [string, string][] = [
    ...metadata.history.map((step, i): [string, string] => [`history step ${i + 1} (newest first)`, step]),
    ...metadata.env.map((variable): [string, string] => ['its variables', variable]),
    ...Object.entries(metadata.labels).map(([name, value]): [string, string] => [
      `label ${name}`,
      `${name}=${value}`,
    ]),
    ['its command', metadata.command.join(' ')],
  ];
  return places.flatMap(([place, text]) => secretsInStep(text, known).map((what) => ({ place, what })));
}

/** The layer files of a `docker save` archive, oldest first (from its manifest.json). */
async function savedLayerFiles(reference: string): Promise<string[]> {
  let manifest = '';
  for await (const entry of tarEntries(await saveImage(reference))) {
    if (entry.header.name !== 'manifest.json') {
      entry.resume();
      continue;
    }
    for await (const chunk of entry) manifest += (chunk as Buffer).toString();
  }
  const [image] = JSON.parse(manifest || '[]') as { Layers?: string[] }[];
  if (!image?.Layers) throw new Error(`docker save of ${reference} has no manifest.json with its layers`);
  return image.Layers;
}

export interface ImageScan extends FilesScan {
  /** How many layers were scanned: the image's own, above its base. */
  layers: number;
  /** Findings in its history and configuration. */
  metadata: SecretFinding[];
}

/**
 * Everything secret-like an image adds to its base: the files of its own
 * layers (above the longest of `bases` that it is built on), then its
 * history and configuration (all of it).
 */
export async function scanImage(
  reference: string,
  known: readonly KnownSecret[] = [],
  bases: readonly string[] = [],
): Promise<ImageScan> {
  const metadata = await imageMetadata(reference);
  const baseLayers = await Promise.all(bases.map(async (base) => (await imageMetadata(base)).layers));
  const skip = Math.max(
    0,
    ...baseLayers
      .filter((layers) => layers.every((layer, i) => metadata.layers[i] === layer))
      .map((layers) => layers.length),
  );
  const files = await savedLayerFiles(reference);
  const own = new Set(files.slice(skip));
  const scan: FilesScan = { paths: [], findings: [] };
  const seen = new Set<string>();
  for await (const entry of tarEntries(await saveImage(reference))) {
    if (!own.has(entry.header.name) || seen.has(entry.header.name)) {
      entry.resume();
      continue;
    }
    seen.add(entry.header.name);
    const layer = await scanFiles(Readable.from(entry), known);
    scan.paths.push(...layer.paths);
    scan.findings.push(...layer.findings);
  }
  if (seen.size !== own.size) throw new Error(`docker save of ${reference} lacks some of its layers`);
  return { ...scan, layers: seen.size, metadata: scanMetadata(metadata, known) };
}

/** The secret values of an env file (names that say secret, values long enough to be one). */
function envSecrets(file: string, source: string): KnownSecret[] {
  if (!existsSync(file)) return [];
  const variables = parseEnv(readFileSync(file, 'utf8'));
  return Object.entries(variables).flatMap(([name, value]) =>
    value && value.length >= 8 && new RegExp(`^${secretName}$`).test(name)
      ? [{ source: `${source} ${name}`, value }]
      : [],
  );
}

/**
 * The secrets this checkout holds, to look for verbatim: .env's and the
 * stand-ins' (.platforms.env) secret values, and the gate's private keys
 * (.gate/, by their key material).
 */
export function localSecrets(root = repoRoot): KnownSecret[] {
  const keys = join(root, '.gate');
  const pems = existsSync(keys) ? readdirSync(keys).filter((name) => name.endsWith('.pem')) : [];
  const privateKeys = pems.flatMap((name) => {
    const text = readFileSync(join(keys, name), 'utf8');
    if (!pemPrivateKey.test(text)) return [];
    // The key material's first line: it appears in any copy of the key.
    const material = text.split('\n').find((line) => line.length >= 32 && !line.startsWith('-----'));
    return material ? [{ source: `.gate/${name}`, value: material }] : [];
  });
  return [
    ...envSecrets(join(root, '.env'), '.env'),
    ...envSecrets(join(root, '.platforms.env'), '.platforms.env'),
    ...privateKeys,
  ];
}
