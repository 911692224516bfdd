// The three images a rehearsal runs, as a run records them.
import { inspectImage } from '../docker/index.ts';
import { RunFailure } from '../errors/index.ts';
import { buildImage } from './build.ts';
import { appImages, type AppImage } from './recipes.ts';

export interface ImageRecord {
  /** todo-backend:<hash of inputs> */
  reference: string;
  /** sha256 of the image configuration: the local content digest promotion checks. */
  id: string;
  /** Registry digests; empty until the image is pushed. */
  repoDigests: string[];
  built: boolean;
  buildMs: number;
}

export type ImageSet = Record<AppImage, ImageRecord>;

/** The images by reference, as the rehearsal's compose file takes them. */
export const imageReferences = (images: ImageSet): Record<AppImage, string> => ({
  backend: images.backend.reference,
  frontend: images.frontend.reference,
  proxy: images.proxy.reference,
});

async function record(image: AppImage, output: (line: string) => void): Promise<ImageRecord> {
  output(`${image}: checking`);
  try {
    const built = await buildImage(image, {
      onOutput: (line) => {
        output(`${image}: ${line.slice(0, 150)}`);
      },
    });
    return {
      reference: built.tag,
      id: built.id,
      repoDigests: (await inspectImage(built.tag))?.repoDigests ?? [],
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

/**
 * Builds the three images (skipping those whose input hash already has a
 * tag), progress line by line; a failed build is a RunFailure naming the image.
 */
export async function buildImageSet(output: (line: string) => void): Promise<ImageSet> {
  const [backend, frontend, proxy] = [
    await record('backend', output),
    await record('frontend', output),
    await record('proxy', output),
  ];
  return { backend, frontend, proxy };
}

export const builtCount = (images: ImageSet): number =>
  appImages.filter((image) => images[image].built).length;
