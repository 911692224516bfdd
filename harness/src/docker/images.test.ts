import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { composeChoice } from './compose.ts';
import { builderChoice, forClassicBuilder } from './images.ts';

describe('the classic builder fallback', () => {
  it('drops only cache mounts, keeping the command and any other mount', () => {
    const dockerfile = [
      'FROM node AS deps',
      'RUN --mount=type=cache,id=todo-npm,target=/root/.npm,sharing=shared \\',
      '    npm ci --workspace backend',
      'run --mount=type=secret,id=token --mount=target=/cache,type=cache make',
      'RUN echo "--mount=type=cache is only text here"',
      'COPY . .',
    ].join('\n');
    expect(forClassicBuilder(dockerfile)).toBe(
      [
        'FROM node AS deps',
        'RUN \\',
        '    npm ci --workspace backend',
        'run --mount=type=secret,id=token make',
        'RUN echo "--mount=type=cache is only text here"',
        'COPY . .',
      ].join('\n'),
    );
  });

  it.each(['backend/Dockerfile', 'frontend/Dockerfile'])(
    '%s keeps no BuildKit-only syntax once its cache mounts are dropped',
    async (file) => {
      const text = await readFile(join(repoRoot, file), 'utf8');
      expect(text).toMatch(/--mount=type=cache/);
      const classic = forClassicBuilder(text);
      expect(classic).not.toMatch(/--mount|^# ?syntax=|<<EOF|--link|--chmod/m);
      // Every other line is unchanged.
      expect(classic.split('\n').length).toBe(text.split('\n').length);
    },
  );
});

describe('choosing Compose and the builder', () => {
  it('takes auto, v1 or v2 from SIM_COMPOSE and refuses anything else by name', () => {
    expect(composeChoice({})).toBe('auto');
    expect(composeChoice({ SIM_COMPOSE: 'v1' })).toBe('v1');
    expect(() => composeChoice({ SIM_COMPOSE: '1.29' })).toThrow(
      'SIM_COMPOSE must be auto, v1 or v2 (got "1.29")',
    );
  });

  it('takes auto, buildkit or classic from SIM_BUILDER and refuses anything else by name', () => {
    expect(builderChoice({})).toBe('auto');
    expect(builderChoice({ SIM_BUILDER: 'classic' })).toBe('classic');
    expect(() => builderChoice({ SIM_BUILDER: 'legacy' })).toThrow(
      'SIM_BUILDER must be auto, buildkit or classic (got "legacy")',
    );
  });
});
