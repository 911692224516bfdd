// Entry point: k6 run loadtests/journey.ts -e PROFILE=smoke|load|spike|soak|capacity -e BASE_URL=...
import { journey } from './lib/journey.ts';
import { profileOptions } from './lib/profiles.ts';

export const options = profileOptions(__ENV.PROFILE ?? 'smoke');

export default function (): void {
  journey();
}

/** The summary as JSON for the gate (SUMMARY_PATH), and k6's usual text on stdout. */
export function handleSummary(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (__ENV.SUMMARY_PATH) out[__ENV.SUMMARY_PATH] = JSON.stringify(data, null, 2);
  return out;
}
