// The repository as git sees it: what a report and an image's labels are bound to.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '../paths.ts';

const run = promisify(execFile);

/** `git …` in the repository; its trimmed stdout, or '' when git or the repository is missing. */
export async function git(...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: repoRoot, maxBuffer: 32 * 1024 * 1024 }).catch(() => ({
    stdout: '',
  }));
  return stdout.trim();
}

export interface GitInfo {
  sha: string;
  branch: string;
  /** Tracked files changed since the commit. */
  dirty: boolean;
}

export async function gitInfo(): Promise<GitInfo> {
  const [sha, branch, status] = await Promise.all([
    git('rev-parse', 'HEAD'),
    git('rev-parse', '--abbrev-ref', 'HEAD'),
    git('status', '--porcelain', '--untracked-files=no'),
  ]);
  return { sha: sha || 'unknown', branch: branch === 'HEAD' ? '' : branch, dirty: status.length > 0 };
}

/** Tracked and untracked (not ignored) files under these paths, sorted. */
export async function repositoryFiles(paths: string[]): Promise<string[]> {
  const listing = await git('ls-files', '--cached', '--others', '--exclude-standard', '--', ...paths);
  return [...new Set(listing.split('\n').filter(Boolean))].sort();
}
