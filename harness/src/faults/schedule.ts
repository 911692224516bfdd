// Which drills a run does, and when: after the ramp and a quiet spell, one
// after another, each in its own slot of the load's hold.
import { drills } from './drills/index.ts';
import { composeDrillNames, kubernetesDrillNames, type Drill, type DrillName } from './drill.ts';

/** Steady load before the first drill: the baseline the drills are compared with. */
export const quietBeforeMs = 15_000;
/** Steady load after the last drill. */
const quietAfterMs = 10_000;

export interface DrillPlan {
  drills: Drill[];
  /** How long the load must hold (k6 duration) for the drills and the quiet spells. */
  holdSeconds: number;
}

/** The drills each platform can do. */
export const platformDrills: Record<'compose' | 'kubernetes', readonly DrillName[]> = {
  compose: composeDrillNames,
  kubernetes: kubernetesDrillNames,
};

/**
 * The drills `--faults` names ('all' or a comma-separated list) on this platform;
 * throws a one-line message for a wrong one.
 */
export function planDrills(value: string, platform: 'compose' | 'kubernetes' = 'compose'): DrillPlan {
  const drillNames = platformDrills[platform];
  const names =
    value === '' || value === 'all' ? [...drillNames] : value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !drillNames.includes(name as DrillName));
  if (unknown.length || names.length === 0) {
    throw new Error(
      `--faults ${value}: unknown drill ${unknown.join(', ')} on ${platform}; one or more of ${drillNames.join(', ')}, or all`,
    );
  }
  const chosen = drillNames.filter((name) => names.includes(name)).map((name) => drills[name]);
  const busyMs = chosen.reduce((sum, drill) => sum + drill.slotMs, 0);
  return { drills: chosen, holdSeconds: Math.ceil((quietBeforeMs + busyMs + quietAfterMs) / 1000) };
}

/** The default thresholds of these drills, and what every drill is held to. */
export const drillThresholds = (plan: DrillPlan): string[] => [
  ...plan.drills.flatMap((drill) => drill.thresholds),
  // Once a drill's fault is over and the app recovered, nothing fails any more.
  'drill_failed_after=count==0',
  'drill_checks=rate==1',
];
