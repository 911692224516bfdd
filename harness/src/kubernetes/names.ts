// The charts and the names of their releases in a namespace.
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

export const appChart = join(repoRoot, 'deploy/helm/todo');
export const dataChart = join(repoRoot, 'deploy/helm/todo-data');
export const appRelease = 'todo';
export const dataRelease = 'todo-data';
