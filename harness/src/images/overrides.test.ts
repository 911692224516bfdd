import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseImages, officialImages } from './overrides.ts';

const fileWith = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'images-')), '.images.env');
  writeFileSync(file, text);
  return file;
};

describe('baseImages', () => {
  it('uses the official images when nothing overrides them', () => {
    expect(baseImages({}, '/nonexistent/.images.env')).toEqual(officialImages);
  });

  it('takes the offline overrides file over the defaults, and the environment over both', () => {
    const file = fileWith(
      '# offline\nPOSTGRES_IMAGE=todo-base/postgres:abc\nREDIS_IMAGE=todo-base/redis:def\n',
    );
    expect(baseImages({ REDIS_IMAGE: 'my/redis:1' }, file)).toEqual({
      NODE_IMAGE: officialImages.NODE_IMAGE,
      POSTGRES_IMAGE: 'todo-base/postgres:abc',
      REDIS_IMAGE: 'my/redis:1',
      CADDY_IMAGE: officialImages.CADDY_IMAGE,
    });
  });
});
