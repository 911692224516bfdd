// How passwords are stored: argon2id at one of OWASP's recommended settings
// (12 MiB, 3 passes: about a quarter of the CPU of better-auth's default
// scrypt, measured in bench/results/passwords.md), at most a few at once per replica. Hashes in
// better-auth's own scrypt format still verify, and are replaced with
// argon2id on the next successful sign-in.
import type pg from 'pg';
import type { Metric } from 'prom-client';
import type { Logger } from 'pino';
import { hashArgon2id, isArgon2idHash, isBelowOwasp, passwordHashing, verifyArgon2id } from './argon2id.ts';
import { HashQueue } from './queue.ts';

export interface Passwords {
  hash(password: string): Promise<string>;
  /** Whether the password matches a stored hash (argon2id, or better-auth's scrypt); upgrades the latter. */
  verify(hash: string, password: string): Promise<boolean>;
  /** For /metrics: the hashing queue's wait and length. */
  metrics: Metric[];
}

/** A hash format that is still read but no longer written. */
export interface LegacyFormat {
  verify(hash: string, password: string): Promise<boolean>;
}

export interface PasswordDeps {
  /** Hashes at once in this process (its CPU limit by default). */
  concurrency: number;
  /** better-auth's default scrypt: accounts made before argon2id. */
  legacy: LegacyFormat;
  /** Where credential accounts live: an upgraded hash is written back here. */
  pool: pg.Pool;
  logger: Logger;
}

export function createPasswords({ concurrency, legacy, pool, logger }: PasswordDeps): Passwords {
  const queue = new HashQueue(concurrency);
  const hash = (password: string) => queue.run(() => hashArgon2id(password, passwordHashing));

  /** Replaces a stored hash by its argon2id equivalent; a failure only means the next sign-in tries again. */
  const upgrade = async (old: string, password: string) => {
    try {
      const replacement = await hash(password);
      await pool.query(
        `UPDATE accounts SET password = $1, updated_at = now() WHERE provider_id = 'credential' AND password = $2`,
        [replacement, old],
      );
    } catch (error) {
      logger.warn({ err: error }, 'could not upgrade a password hash to argon2id; the next sign-in retries');
    }
  };

  return {
    hash,
    async verify(stored, password) {
      if (isArgon2idHash(stored)) {
        const ok = await queue.run(() => verifyArgon2id(stored, password));
        if (ok && isBelowOwasp(stored)) await upgrade(stored, password);
        return ok;
      }
      // A hash that is neither format matches no password.
      const ok = await queue.run(() => legacy.verify(stored, password)).catch(() => false);
      if (ok) await upgrade(stored, password);
      return ok;
    },
    metrics: queue.metrics,
  };
}
