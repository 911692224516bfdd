// Flags more than one command takes, each checked in one place; a mistake is one line (UsageError).
import { join } from 'node:path';
import { UsageError } from '../errors/index.ts';
import { planDrills, type DrillPlan } from '../faults/index.ts';
import { loadProfiles, type LoadProfile } from '../load/index.ts';
import { repoRoot } from '../paths.ts';
import type { SimLoad } from '../sim/index.ts';

/** --profile, --users and --duration as parseArgs declares them. */
export const loadFlags = {
  profile: { type: 'string' },
  users: { type: 'string' },
  duration: { type: 'string' },
} as const;

export const loadFlagsHelp = `  --profile NAME      smoke, load, spike, soak or capacity
  --users N           virtual users for load, spike (peak: twice that), soak, capacity (default 100)
  --duration D        how long the profile holds, e.g. 60s, 5m`;

/** --profile, --users and --duration, checked against each other. */
export function loadOptions(
  values: { profile?: string | undefined; users?: string | undefined; duration?: string | undefined },
  defaultProfile: LoadProfile,
): SimLoad {
  const name = values.profile ?? defaultProfile;
  const profile = loadProfiles.find((known) => known === name);
  if (!profile) throw new UsageError(`--profile ${name}: one of ${loadProfiles.join(', ')}`);
  const users = values.users === undefined ? undefined : Number(values.users);
  if (users !== undefined && !(Number.isInteger(users) && users > 0)) {
    throw new UsageError(`--users ${values.users ?? ''}: expected a whole number above 0`);
  }
  if (users !== undefined && profile === 'smoke') {
    throw new UsageError(
      '--users: the smoke profile is one user; choose --profile load, spike, soak or capacity',
    );
  }
  if (values.duration !== undefined && (profile === 'smoke' || profile === 'capacity')) {
    throw new UsageError(
      `--duration: the ${profile} profile has no hold to set; it applies to load, spike and soak`,
    );
  }
  if (values.duration !== undefined && !/^(\d+(ms|s|m|h))+$/.test(values.duration)) {
    throw new UsageError(`--duration ${values.duration}: expected a k6 duration such as 60s, 5m or 1m30s`);
  }
  return {
    profile,
    ...(users === undefined ? {} : { users }),
    ...(values.duration === undefined ? {} : { duration: values.duration }),
  };
}

/**
 * --faults (and --drills): the drills to run during the load. They need the
 * load profile (a ramp, then a hold as long as the drills take), so a profile,
 * a duration or --no-load beside them is a mistake.
 */
export function faultOptions(values: {
  faults?: boolean | undefined;
  drills?: string | undefined;
  profile?: string | undefined;
  duration?: string | undefined;
  'no-load'?: boolean | undefined;
  platform?: string | undefined;
}): DrillPlan {
  if (!values.faults) throw new UsageError('--drills: add --faults (the drills run during the load)');
  if (values['no-load']) throw new UsageError('--faults: the drills run during the load; drop --no-load');
  if (values.profile !== undefined && values.profile !== 'load') {
    throw new UsageError(
      `--faults: the drills run during the load profile, not ${values.profile}; drop --profile`,
    );
  }
  if (values.duration !== undefined) {
    throw new UsageError('--faults: the load holds as long as the drills take; drop --duration');
  }
  try {
    return planDrills(values.drills ?? 'all', values.platform === 'kubernetes' ? 'kubernetes' : 'compose');
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^--faults/, '--drills'));
  }
}

export const reportsDirFlag = { 'reports-dir': { type: 'string' } } as const;

/** --reports-dir, else the variable, else reports/ in the repository. */
export const reportsDir = (flag: string | undefined, fromEnv?: string): string =>
  flag ?? fromEnv ?? join(repoRoot, 'reports');

/** --dev / --rehearsal: which stack a stack command means (default the developer stack). */
export const stackFlags = { dev: { type: 'boolean' }, rehearsal: { type: 'boolean' } } as const;

export function whichStack(values: {
  dev?: boolean | undefined;
  rehearsal?: boolean | undefined;
}): 'dev' | 'rehearsal' {
  if (values.dev && values.rehearsal) throw new UsageError('choose one of --dev and --rehearsal');
  return values.rehearsal ? 'rehearsal' : 'dev';
}

/** A URL users open: http(s) and a host. */
export function targetUrl(flag: string, value: string): string {
  if (!/^https?:\/\/[^/]+/.test(value))
    throw new UsageError(`${flag} ${value}: expected a URL such as https://localhost:8443`);
  return value.replace(/\/$/, '');
}
