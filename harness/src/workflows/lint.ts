// `npm run lint:workflows [dir]`, part of `npm run check`: actionlint on the
// GitHub Actions workflows of the repository in dir (the current folder by
// default), and the secrets they read checked against its README.
//
// actionlint checks the inputs of popular actions only for the tags its data
// knows (`actions/checkout@v6`), and ours are pinned to commits; so it runs on a
// copy where each pin is its major tag (the committed files stay pinned), with
// every line and column kept, and what it says names the committed files.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ActionlintMissing, actionlintVersion, findingLine, lintProject } from './actionlint.ts';
import { actionPins, withMajorTags } from './action-pins.ts';
import { actionsWithoutInputData } from './known-actions.ts';
import { documentedSecrets, undocumentedSecrets } from './secrets.ts';

interface Workflow {
  /** Relative to the repository, as actionlint names it. */
  path: string;
  text: string;
}

async function readWorkflows(root: string): Promise<Workflow[]> {
  const dir = join('.github', 'workflows');
  const names = (await readdir(join(root, dir))).filter((name) => /\.ya?ml$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => ({
      path: join(dir, name),
      text: await readFile(join(root, dir, name), 'utf8'),
    })),
  );
}

/** actionlint's findings on the workflows with their pins as tags, or what stopped it. */
async function actionlintOnTags(root: string, workflows: Workflow[]): Promise<string[]> {
  const copy = await mkdtemp(join(tmpdir(), 'workflows-lint-'));
  try {
    await mkdir(join(copy, '.github', 'workflows'), { recursive: true });
    // actionlint takes a folder with .github/workflows and a .git for a project.
    await writeFile(join(copy, '.git'), '');
    for (const config of ['actionlint.yaml', 'actionlint.yml']) {
      await copyFile(join(root, '.github', config), join(copy, '.github', config)).catch(() => undefined);
    }
    for (const workflow of workflows)
      await writeFile(join(copy, workflow.path), withMajorTags(workflow.text));
    const result = await lintProject(copy);
    if (!result.ok) {
      process.stderr.write(result.output.replaceAll(copy, root));
      process.exit(result.exitCode);
    }
    return result.findings.map((f) =>
      findingLine({ ...f, filepath: isAbsolute(f.filepath) ? relative(copy, f.filepath) : f.filepath }),
    );
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** A pin without its tag beside it escapes the input check (and leaves Renovate guessing). */
function untaggedPins(workflow: Workflow): string[] {
  return workflow.text.split('\n').flatMap((source, index) => {
    const match = /uses:\s+([\w.-]+\/[\w./-]+)@[0-9a-f]{40}\b/.exec(source);
    if (!match || actionPins(source).length) return [];
    return [
      `${workflow.path}:${index + 1}:${match.index + 1}: action "${match[1] ?? ''}" is pinned to a commit without its tag beside it ("# vX.Y.Z"), so its inputs cannot be checked [pins]`,
    ];
  });
}

/** Lints the workflows of the repository in `root`; the exit code. */
async function main(root: string): Promise<number> {
  const workflows = await readWorkflows(root);
  const problems = await actionlintOnTags(root, workflows);

  const readme = await readFile(join(root, 'README.md'), 'utf8').catch(() => '');
  const secrets = documentedSecrets(readme);
  if (!secrets) {
    problems.push(
      'README.md:1:1: the CI section ("## CI ...") has no "- Secrets:" item naming the secrets the workflows read [secrets]',
    );
  }
  for (const workflow of workflows) {
    if (secrets) problems.push(...undocumentedSecrets(workflow.path, workflow.text, secrets));
    problems.push(...untaggedPins(workflow));
  }
  if (problems.length) process.stdout.write(`${problems.join('\n')}\n`);

  const specs = [
    ...new Set(workflows.flatMap((w) => actionPins(w.text).map((p) => `${p.action}@${p.major}`))),
  ];
  const unchecked = await actionsWithoutInputData(specs);
  if (unchecked.length) {
    process.stderr.write(
      `workflows: actionlint ${await actionlintVersion()} has no data on ${unchecked.join(', ')}; their inputs are not checked\n`,
    );
  }
  return problems.length ? 1 : 0;
}

try {
  process.exitCode = await main(resolve(process.argv[2] ?? '.'));
} catch (error) {
  if (!(error instanceof ActionlintMissing)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
