// The report's signature: ed25519 over the exact bytes of report.json, kept
// beside it as report.json.sig (base64). A platform team verifies it with the
// tools they already have, no harness needed:
//   openssl pkeyutl -verify -pubin -inkey deploy/gate-public-key.pem -rawin \
//     -in report.json -sigfile <(base64 -d report.json.sig)
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** A PEM key given as its text, or as the path of a file holding it. */
export function readKey(value: string): string {
  const text = value.trim().startsWith('-----BEGIN')
    ? value
    : existsSync(value)
      ? readFileSync(value, 'utf8')
      : '';
  if (!text.includes('-----BEGIN')) throw new Error('expected a PEM key, or the path of a file holding one');
  return text;
}

const ed25519 = (key: KeyObject, which: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`the ${which} key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519`);
  return key;
};

/** The base64 signature of `bytes` with an ed25519 private key (PEM). */
export function signBytes(bytes: Buffer, privateKeyPem: string): string {
  return sign(null, bytes, ed25519(createPrivateKey(privateKeyPem), 'signing')).toString('base64');
}

/** Whether `signature` (base64) is the ed25519 signature of `bytes` by the key (PEM). */
export function verifyBytes(bytes: Buffer, signature: string, publicKeyPem: string): boolean {
  return verify(
    null,
    bytes,
    ed25519(createPublicKey(publicKeyPem), 'public'),
    Buffer.from(signature.trim(), 'base64'),
  );
}

/** A fresh key pair: the private key for GATE_SIGNING_KEY, the public one to commit. */
export function newSigningKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
