export { formatFinding, runDoctor } from './doctor.ts';
export type { Finding } from './checks.ts';
