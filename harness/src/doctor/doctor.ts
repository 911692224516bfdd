import {
  checkBaseImages,
  checkBrowser,
  checkBuilder,
  checkCompose,
  checkDisk,
  checkDocker,
  checkEnvFiles,
  checkK6,
  checkNode,
  checkPorts,
  type Finding,
} from './checks.ts';

/**
 * Every check; Docker-dependent ones are skipped (not failed twice) when Docker
 * does not answer. `tools: false` leaves out k6 and the browser: sim judges
 * those itself (it refuses a load without k6, and a skipped browser flow is
 * the gate's to judge, in CI a failure), so its doctor phase does not.
 */
export async function runDoctor(
  env: NodeJS.ProcessEnv = process.env,
  { tools = true }: { tools?: boolean } = {},
): Promise<Finding[]> {
  const findings: Finding[] = [checkNode()];
  const docker = await checkDocker();
  findings.push(docker.finding);
  if (docker.finding.status === 'ok') {
    findings.push(
      await checkCompose(env),
      await checkBuilder(env),
      await checkDisk(docker.rootDir ?? '/'),
      await checkBaseImages(),
    );
  }
  if (tools) findings.push(await checkK6(env), checkBrowser(env));
  findings.push(await checkPorts(env), ...checkEnvFiles(env));
  return findings;
}

/** One line per finding: `ok    docker  Docker Engine 20.10 answers` / `FAIL  docker  ... — fix: ...`. */
export function formatFinding(finding: Finding): string {
  const status = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' }[finding.status];
  return `${status}  ${finding.check.padEnd(11)} ${finding.detail}${finding.fix ? ` — ${finding.fix}` : ''}`;
}
