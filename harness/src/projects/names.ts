// What our Compose projects are called. Every project of this repository's
// harness is todo-<kind>-<token>; the developer stack is what `docker compose`
// names this directory by default.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { repoRoot } from '../paths.ts';

/** sim: a run of npm run sim; kept: left running for the user; platforms: the platforms' stand-ins; the rest: tests and benchmarks. */
export type ProjectKind = 'sim' | 'kept' | 'load' | 'test' | 'dev-test' | 'bench' | 'platforms';

const prefix = 'todo-';

/** A name no other run (on any machine sharing the engine) will pick: todo-<kind>-<random>. */
export const projectName = (kind: ProjectKind): string =>
  `${prefix}${kind}-${randomBytes(4).toString('hex')}`;

/** Whether the harness made this project (any kind). */
export const isHarnessProject = (name: string): boolean => name.startsWith(prefix);

/** A rehearsal left running on purpose (up --rehearsal, sim --keep). */
export const isKeptProject = (name: string): boolean => name.startsWith(`${prefix}kept-`);

/** The project `docker compose` gives this directory by default: the developer stack. */
export const devProjectName = (env: NodeJS.ProcessEnv = process.env): string =>
  env.COMPOSE_PROJECT_NAME ??
  basename(repoRoot)
    .toLowerCase()
    .replace(/[^-_a-z0-9]/g, '');
