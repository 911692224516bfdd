import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  /** What the browser must download and run before the first screen: the entry script and its preloads. */
  initialJs: { files: string[]; rawBytes: number; gzipBytes: number };
  /** Loaded later (the assistant panel). */
  lazyJs: { files: string[]; rawBytes: number; gzipBytes: number };
  css: { rawBytes: number; gzipBytes: number };
}

const gzipSize = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

async function measure(
  dist: string,
  files: string[],
): Promise<{ files: string[]; rawBytes: number; gzipBytes: number }> {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = await readFile(join(dist, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSize(bytes);
  }
  return { files, rawBytes, gzipBytes };
}

/** Reads the built index.html: its module script and modulepreload links are the initial JavaScript. */
export async function bundleFigures(dist: string): Promise<BundleFigures> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const referenced = (pattern: RegExp) =>
    [...html.matchAll(pattern)].map((match) => (match[1] ?? '').replace(/^\//, ''));
  const initial = [
    ...referenced(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...referenced(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ];
  const assets = await readdir(join(dist, 'assets'));
  const allJs = assets.filter((file) => file.endsWith('.js')).map((file) => `assets/${file}`);
  const cssFiles = assets.filter((file) => file.endsWith('.css')).map((file) => `assets/${file}`);
  const css = await measure(dist, cssFiles);
  return {
    initialJs: await measure(dist, initial),
    lazyJs: await measure(
      dist,
      allJs.filter((file) => !initial.includes(file)),
    ),
    css: { rawBytes: css.rawBytes, gzipBytes: css.gzipBytes },
  };
}
