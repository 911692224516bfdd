import { fileURLToPath } from 'node:url';

/** The repository root (harness/src/ is two levels below it). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
