export { cpuLimit } from './cpu.ts';
export { createPasswords, type LegacyFormat, type Passwords } from './passwords.ts';
export {
  hashArgon2id,
  isArgon2idHash,
  isBelowOwasp,
  owaspConfigurations,
  passwordHashing,
  verifyArgon2id,
} from './argon2id.ts';
