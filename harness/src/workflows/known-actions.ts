// Which actions actionlint knows the inputs of. Its data set covers popular
// actions by major tag and grows with its releases; an action it does not know
// is not checked at all, which a user should hear rather than assume.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintProject } from './actionlint.ts';

const probeInput = 'actionlint-probe';

/** Of these `owner/repo@vN`, the ones whose `with:` actionlint does not check. */
export async function actionsWithoutInputData(specs: string[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'actionlint-probe-'));
  try {
    await mkdir(join(dir, '.github', 'workflows'), { recursive: true });
    await writeFile(join(dir, '.git'), '');
    const steps = specs.map((spec) => `      - uses: ${spec}\n        with:\n          ${probeInput}: x\n`);
    const workflow = `on: push\njobs:\n  probe:\n    runs-on: ubuntu-latest\n    steps:\n${steps.join('')}`;
    await writeFile(join(dir, '.github', 'workflows', 'probe.yml'), workflow);
    const result = await lintProject(dir);
    const findings = result.ok ? result.findings : [];
    const checked = specs.filter((spec) =>
      findings.some(
        (f) => f.message.includes(`input "${probeInput}" is not defined`) && f.message.includes(`"${spec}"`),
      ),
    );
    return specs.filter((spec) => !checked.includes(spec));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
