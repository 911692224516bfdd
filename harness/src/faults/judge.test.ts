import { describe, expect, it } from 'vitest';
import { drills } from './drills/catalogue.ts';
import { judgeFaults, settleMs } from './judge.ts';
import { planDrills } from './schedule.ts';
import type { DrillRun } from './run.ts';

const run = (
  drill: DrillRun['drill'],
  start: number,
  end: number,
  episodes: DrillRun['episodes'],
): DrillRun => ({
  drill,
  title: drill,
  proves: '',
  slot: { start, end },
  episodes,
  checks: [{ name: 'held', ok: true }],
  restarts: {},
});

describe('judging the drills by the load’s requests', () => {
  it('counts failures in each window (fault to recovery, and a settling spell), after it, and in the steady state', () => {
    const crash = run('replica_crash', 10_000, 40_000, [
      { injectedAt: 10_000, clearedAt: 14_000, recoveredAt: 14_000, recoverySeconds: 4 },
    ]);
    const request = (at: number, failed: boolean, ms = 10) => ({ at, group: 'tasks:list', ms, failed });
    const judged = judgeFaults([crash], {
      requests: [
        request(5_000, false),
        request(9_999, true), // before the fault: steady
        request(10_500, true, 900),
        request(12_000, false, 30),
        request(14_000 + settleMs, true), // the window's last moment
        request(14_001 + settleMs, true), // after it
        request(40_001, false), // after the slot: steady again
      ],
      checks: [
        { at: 9_000, ok: true },
        { at: 11_000, ok: false },
      ],
    });
    expect(judged.record.drills[0]?.requests).toEqual({
      inWindows: 3,
      failedInWindows: 2,
      failedAfter: 1,
      p95InWindowsMs: expect.any(Number),
      maxInWindowsMs: 900,
    });
    expect(judged.record.steady).toMatchObject({ requests: 4, failed: 2 });
    expect(judged.steadyChecks).toEqual([{ at: 9_000, ok: true }]);
  });

  it('treats a drill that never recovered as failing until its fault ended', () => {
    const restart = run('postgres_restart', 0, 60_000, [
      { injectedAt: 1_000, clearedAt: 20_000, recoveredAt: null, recoverySeconds: null },
    ]);
    const judged = judgeFaults([restart], {
      requests: [{ at: 24_000, group: 'chat', ms: 5, failed: true }],
      checks: [],
    });
    expect(judged.record.drills[0]?.requests.failedInWindows).toBe(1);
  });
});

describe('the replica crash drill, judged by when its failed requests were sent', () => {
  // The replica died at 10 s and was healthy again at 14 s.
  const crash = run('replica_crash', 0, 40_000, [
    { injectedAt: 10_000, clearedAt: 14_000, recoveredAt: 14_000, recoverySeconds: 4 },
  ]);
  const judge = (requests: { at: number; ms: number; failed: boolean }[]) =>
    judgeFaults(
      [crash],
      { requests: requests.map((r) => ({ ...r, group: 'tasks:delete' })), checks: [] },
      (name) => drills[name].requestChecks,
    ).record.drills[0]?.checks.at(-1);

  it('holds when every failed request was in flight when it died', () => {
    expect(
      judge([
        { at: 10_300, ms: 400, failed: true }, // sent at 9.9 s, cut off
        { at: 10_050, ms: 60, failed: true },
        { at: 11_000, ms: 30, failed: false },
      ]),
    ).toEqual({
      name: 'only requests in flight on the crashed replica failed',
      ok: true,
      detail: '2 failed, all sent before it died',
    });
  });

  it('fails on one request sent after it died that failed, however few', () => {
    expect(
      judge([
        { at: 10_300, ms: 400, failed: true },
        { at: 12_000, ms: 5, failed: true }, // sent at 11.995 s: should have gone to the other replica
      ]),
    ).toMatchObject({ ok: false, detail: '1 of 2 failed requests were sent after it died (tasks:delete)' });
  });
});

describe('planning the drills', () => {
  it('runs every drill by default, holding the load as long as they take', () => {
    const plan = planDrills('all');
    expect(plan.drills.map((drill) => drill.name)).toEqual([
      'replica_crash',
      'postgres_restart',
      'redis_outage',
      'postgres_slow',
      'proxy_restart',
    ]);
    const busy = plan.drills.reduce((sum, drill) => sum + drill.slotMs, 0) / 1000;
    expect(plan.holdSeconds).toBeGreaterThan(busy);
  });

  it('takes a list in its own order, and refuses an unknown drill in one line naming the known ones', () => {
    expect(planDrills('proxy_restart, replica_crash').drills.map((drill) => drill.name)).toEqual([
      'replica_crash',
      'proxy_restart',
    ]);
    expect(() => planDrills('replica_crash,disk_full')).toThrow(
      /^--faults replica_crash,disk_full: unknown drill disk_full on compose; one or more of replica_crash, .*, or all$/,
    );
  });

  it("plans the drills of the platform, and refuses another platform's drill naming the platform", () => {
    expect(planDrills('all', 'kubernetes').drills.map((drill) => drill.name)).toEqual([
      'pod_delete',
      'rolling_update',
      'rollback',
    ]);
    expect(() => planDrills('replica_crash', 'kubernetes')).toThrow(
      /^--faults replica_crash: unknown drill replica_crash on kubernetes; one or more of pod_delete, rolling_update, rollback, or all$/,
    );
  });
});
