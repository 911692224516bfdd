// --dry-run: every call a promotion would make, in the order it makes them,
// from each target's own account of its calls; the calls a failure would add
// (the rollback and the check after it) are marked as such. Nothing here
// touches the network.
import { smokeScenarioNames } from '@todo/scenarios';
import { appImages } from '../images/index.ts';
import { registryBaseUrl, splitRegistry } from '../registry/index.ts';
import type { SimReport } from '../report/index.ts';
import type { PromotionConfig } from './config.ts';
import { checkRequests } from './serving.ts';

export interface PlannedCall {
  /** The step that makes it, as the run names it. */
  step: string;
  call: string;
  /** Made only when a step fails or the run is interrupted. */
  onFailure?: true;
}

export function planCalls(input: {
  report: SimReport;
  config: PromotionConfig;
  browser: 'auto' | 'off';
  chromium: string | undefined;
}): PlannedCall[] {
  const { report, config } = input;
  const image = (name: string) => splitRegistry(config.registry, `todo-${name}`);
  const { host, repository } = image('backend');
  const backend = config.backend.plan(`${host}/${repository}@sha256:<pushed digest>`);
  const frontend = config.frontend.plan({ outputDir: '<build output>', backendUrl: '<backend url>' });
  const url = `<the ${config.environment} URL>`;
  const check = [...backend.serving, ...frontend.serving, ...checkRequests(url)];
  const steps: [string, string[], true?][] = [
    [
      'push by digest',
      appImages.flatMap((name) => {
        const tag = report.images[name]?.reference.split(':')[1] ?? '';
        const { repository: pushed } = image(name);
        return [
          `docker push ${host}/${pushed}:${tag}`,
          `GET ${registryBaseUrl(host)}/v2/${pushed}/manifests/${tag}, then …/manifests/<its digest> (after a 401, a token from the registry's realm): its configuration must be ${report.images[name]?.id ?? ''}`,
        ];
      }),
    ],
    ['what is live', [...backend.current, ...frontend.current]],
    ['deploy the backend', [...backend.deploy, ...backend.serving]],
    [
      'frontend build output',
      [
        `docker: the files of ${report.images.frontend?.reference ?? ''} as a Build Output, /api/* rewritten to the backend's URL (no API call)`,
      ],
    ],
    ['deploy the frontend', frontend.deploy],
    [`make it ${config.environment}`, [...frontend.promote, ...frontend.current]],
    [
      'smoke',
      [
        `requests of the API scenarios (${smokeScenarioNames.join(', ')}) to ${url}`,
        ...(input.browser === 'off'
          ? []
          : [
              input.chromium
                ? `the browser flow in Chromium (${input.chromium}) against ${url}, once the API scenarios pass`
                : 'the browser flow: skipped, Chromium is not installed here',
            ]),
      ],
    ],
    ['check what serves', check],
    ['roll back', [...frontend.rollback, ...backend.rollback], true],
    ['check what serves', check, true],
  ];
  return steps.flatMap(([step, calls, onFailure]) =>
    calls.map((call) => ({ step, call, ...(onFailure ? { onFailure } : {}) })),
  );
}

export const describeCall = ({ step, call, onFailure }: PlannedCall): string =>
  `${onFailure ? 'on failure, ' : ''}${step}: ${call}`;
