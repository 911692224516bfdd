// argon2id through node:crypto (OpenSSL's implementation, on libuv's thread
// pool), stored as the PHC string other argon2 libraries read and write:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded base64).
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Argon2Params {
  /** KiB of memory. */
  memory: number;
  passes: number;
  parallelism: number;
}

/**
 * OWASP's password-storage recommendations for argon2id: five settings it
 * holds equal in the defence they give, trading memory for passes.
 */
export const owaspConfigurations: readonly Argon2Params[] = [
  { memory: 47_104, passes: 1, parallelism: 1 },
  { memory: 19_456, passes: 2, parallelism: 1 },
  { memory: 12_288, passes: 3, parallelism: 1 },
  { memory: 9_216, passes: 4, parallelism: 1 },
  { memory: 7_168, passes: 5, parallelism: 1 },
];

/**
 * What the API writes: OWASP's 12 MiB, 3 passes. Equal in defence to its
 * 19 MiB, 2 passes, it costs about a quarter less CPU on the two-core
 * machines this project is rehearsed on, where less memory stays in cache
 * (bench/results/passwords.md measures all five).
 */
export const passwordHashing: Argon2Params = { memory: 12_288, passes: 3, parallelism: 1 };

const tagLength = 32;
const saltLength = 16;
const version = 19;

const derive = (password: string, salt: Buffer, params: Argon2Params, length: number) =>
  new Promise<Buffer>((resolve, reject) => {
    argon2(
      'argon2id',
      { message: password.normalize('NFKC'), nonce: salt, tagLength: length, ...params },
      (error, key) => {
        if (error) reject(error);
        else resolve(key);
      },
    );
  });

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export async function hashArgon2id(
  password: string,
  params: Argon2Params = passwordHashing,
): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, params, tagLength);
  return `$argon2id$v=${version}$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(key)}`;
}

const phc = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export const isArgon2idHash = (hash: string): boolean => phc.test(hash);

/**
 * Whether a stored hash is weaker than every one of OWASP's settings (or not
 * argon2id at all): re-hash it on the next sign-in. A hash at any of them, or
 * stronger, stays as it is.
 */
export function isBelowOwasp(hash: string): boolean {
  const match = phc.exec(hash);
  if (!match) return true;
  const [memory, passes] = [Number(match[2]), Number(match[3])];
  return !owaspConfigurations.some((owasp) => memory >= owasp.memory && passes >= owasp.passes);
}

/** Checks a password against a PHC argon2id string, with its own parameters; false for anything malformed. */
export async function verifyArgon2id(hash: string, password: string): Promise<boolean> {
  const match = phc.exec(hash);
  if (!match || Number(match[1]) !== version) return false;
  const params = { memory: Number(match[2]), passes: Number(match[3]), parallelism: Number(match[4]) };
  const salt = Buffer.from(match[5] ?? '', 'base64');
  const expected = Buffer.from(match[6] ?? '', 'base64');
  if (expected.length < 16) return false;
  const key = await derive(password, salt, params, expected.length);
  return timingSafeEqual(key, expected);
}
