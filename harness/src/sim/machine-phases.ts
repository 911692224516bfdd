// The phases before a stack exists: the machine, then the images.
import { runDoctor } from '../doctor/index.ts';
import { RunFailure } from '../errors/index.ts';
import { appImages, buildImageSet, builtCount, type ImageSet } from '../images/index.ts';
import type { Phase } from '../pipeline/index.ts';

export const doctorPhase: Phase<NodeJS.ProcessEnv, { checks: number; warnings: number }> = {
  name: 'doctor',
  async run(env) {
    const findings = await runDoctor(env, { tools: false });
    const failed = findings.filter((f) => f.status === 'fail');
    if (failed.length) {
      throw new RunFailure({
        step: 'doctor',
        message: failed.map((f) => `${f.check}: ${f.detail}`).join('; '),
        hint: failed.map((f) => f.fix).join('; '),
      });
    }
    return { checks: findings.length, warnings: findings.filter((f) => f.status === 'warn').length };
  },
  detail: ({ checks, warnings }) =>
    `${checks - warnings} ok${warnings ? `, ${warnings} warning(s) (npm run doctor)` : ''}`,
};

export const imagesPhase: Phase<undefined, ImageSet> = {
  name: 'images',
  run: (_, output) => buildImageSet(output),
  detail: (images) => {
    const built = builtCount(images);
    return built ? `${built} built, ${appImages.length - built} up to date` : 'all 3 up to date';
  },
};
