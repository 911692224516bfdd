// The images phase, and how a failed start becomes the sentence a user reads.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildImage, type AppImage } from '../images/index.ts';
import type { AppImageName, ImageRecord } from '../report/index.ts';
import { ServiceFailed } from '../stack/index.ts';
import { RunFailure } from './failure.ts';

const run = promisify(execFile);

export type SimImages = Partial<Record<AppImageName, ImageRecord>>;

async function repoDigests(reference: string): Promise<string[]> {
  const { stdout } = await run('docker', [
    'image',
    'inspect',
    '--format',
    '{{json .RepoDigests}}',
    reference,
  ]);
  return (JSON.parse(stdout) as string[] | null) ?? [];
}

/** Builds the three images (skipping those whose input hash already has a tag) and records them. */
export async function buildImagesPhase(output: (line: string) => void): Promise<SimImages> {
  const images: SimImages = {};
  for (const image of ['backend', 'frontend', 'proxy'] as AppImage[]) {
    output(`${image}: checking`);
    try {
      const built = await buildImage(image, {
        onOutput: (line) => {
          output(`${image}: ${line.slice(0, 150)}`);
        },
      });
      images[image] = {
        reference: built.tag,
        id: built.id,
        repoDigests: await repoDigests(built.tag),
        built: built.built,
        buildMs: built.buildMs,
      };
    } catch (error) {
      const [message = '', ...tail] = (error as Error).message.split('\n');
      throw new RunFailure({
        step: 'images',
        service: image,
        message,
        hint: `fix the build error in ${image}/Dockerfile or its sources; npm run images builds the images alone`,
        logTail: tail,
      });
    }
  }
  return images;
}

/** The three images as the rehearsal takes them: by reference. */
export const imageReferences = (images: SimImages): Record<AppImageName, string> => ({
  backend: images.backend?.reference ?? '',
  frontend: images.frontend?.reference ?? '',
  proxy: images.proxy?.reference ?? '',
});

/** A failed `rehearsal up` as the service to blame, its last log lines and what to try. */
export function startFailure(error: unknown, logsDir?: string): RunFailure {
  if (error instanceof RunFailure) return error;
  if (error instanceof ServiceFailed) {
    return new RunFailure({
      step: 'rehearsal up',
      service: error.service,
      message: error.reason,
      hint: `fix what its last log lines say${logsDir ? `; every service's full log is in ${logsDir}` : ''}`,
      logTail: error.logTail,
    });
  }
  return new RunFailure({
    step: 'rehearsal up',
    message: (error as Error).message.split('\n')[0] ?? String(error),
    hint: 'npm run doctor checks Docker and Compose; docker compose -f docker-compose.prod.yml config checks the file',
  });
}
