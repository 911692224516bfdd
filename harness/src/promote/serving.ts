// Which release serves, found out rather than assumed: the image digest and
// the deployment each platform reports running, and requests to the
// environment's URL (the page, and the API through the frontend's rewrite).
// promotion.json's `serving` comes from here, never from "the calls succeeded".
import type { Phase } from '../pipeline/index.ts';
import type { Target } from './targets/index.ts';

/** What the check asks of a platform: its name and what it reports serving. */
export type ServingSource = Pick<Target<never>, 'name' | 'serving'>;

/** fetch as the check and the smoke use it (another CA for a cluster's own). */
export type PromoteFetch = (url: string, init?: RequestInit) => Promise<Response>;

export type Serving = 'new release' | 'previous release' | 'nothing changed' | 'unknown';

export interface ServingCheck {
  /** The environment's URL the requests went to. */
  url: string | null;
  /** The image digest the backend's platform reports running. */
  backend: string | null;
  /** The deployment the frontend's platform reports serving. */
  frontend: string | null;
  /** GET / : its status, and whether it was the app's page. */
  page: number | null;
  app: boolean;
  /** GET /api/tasks without a session: 401 is the backend answering through the rewrite. */
  api: number | null;
  /** What could not be asked. */
  error?: string;
}

/** A release as the platforms name it: the backend's digest and the frontend's deployment. */
export interface ReleaseIds {
  backend: string | undefined;
  frontend: string | undefined;
}

const status = async (
  url: string,
  fetcher: PromoteFetch,
): Promise<{ status: number; body: string } | undefined> => {
  try {
    const reply = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    return { status: reply.status, body: await reply.text() };
  } catch {
    return undefined;
  }
};

export async function checkServing(input: {
  backend: ServingSource;
  frontend: ServingSource;
  url: string | undefined;
  fetch?: PromoteFetch | undefined;
}): Promise<ServingCheck> {
  const fetcher = input.fetch ?? ((url, init) => fetch(url, init));
  const problems: string[] = [];
  const ask = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> =>
    read().catch((error: unknown) => {
      problems.push(`${what}: ${(error as Error).message}`);
      return undefined;
    });
  const backend = await ask(input.backend.name, () => input.backend.serving());
  const frontend = await ask(input.frontend.name, () => input.frontend.serving());
  const page = input.url ? await status(`${input.url}/`, fetcher) : undefined;
  const api = input.url ? await status(`${input.url}/api/tasks`, fetcher) : undefined;
  if (!input.url) problems.push('no URL to send requests to');
  else if (!page || !api) problems.push(`${input.url} did not answer`);
  return {
    url: input.url ?? null,
    backend: backend ?? null,
    frontend: frontend ?? null,
    page: page?.status ?? null,
    app: page?.body.includes('<div id="root">') ?? false,
    api: api?.status ?? null,
    ...(problems.length ? { error: problems.join('; ') } : {}),
  };
}

/** The release the check found: both platforms on it and the URL answering as the app does. */
export function servingFrom(
  check: ServingCheck,
  releases: { new: ReleaseIds; previous: ReleaseIds },
): Serving {
  const answers = check.page === 200 && check.app && check.api === 401;
  const runs = (ids: ReleaseIds) =>
    ids.backend !== undefined &&
    ids.frontend !== undefined &&
    check.backend === ids.backend &&
    check.frontend === ids.frontend;
  if (!answers) return 'unknown';
  if (runs(releases.new)) return 'new release';
  if (runs(releases.previous)) return 'previous release';
  return 'unknown';
}

/** The requests the check sends, in words (--dry-run). */
export const checkRequests = (url: string): string[] => [
  `GET ${url}/: the app's page`,
  `GET ${url}/api/tasks without a session: 401 from the backend, through the frontend's rewrite`,
];

export const servingPhase: Phase<
  {
    backend: ServingSource;
    frontend: ServingSource;
    url: string | undefined;
    releases: { new: ReleaseIds; previous: ReleaseIds };
    fetch?: PromoteFetch;
  },
  { check: ServingCheck; serving: Serving }
> = {
  name: 'check what serves',
  // Also after an interrupt: it is how the record knows what the platforms were left on.
  stopsOnInterrupt: true,
  async run({ backend, frontend, url, releases, fetch: fetcher }) {
    const check = await checkServing({ backend, frontend, url, fetch: fetcher });
    return { check, serving: servingFrom(check, releases) };
  },
  detail: ({ serving, check }) =>
    `${serving} (backend ${check.backend?.slice(7, 19) ?? 'none'}, frontend ${check.frontend ?? 'none'}, / ${check.page ?? '–'}, /api/tasks ${check.api ?? '–'})`,
};
