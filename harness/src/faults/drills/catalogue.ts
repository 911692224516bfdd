// The drills, in the order a run does them: each leaves the stack as it found it.
import type { Drill, DrillName } from '../drill.ts';
import { podDelete, rollback, rollingUpdate } from './kubernetes.ts';
import { postgresRestart } from './postgres-restart.ts';
import { postgresSlow } from './postgres-slow.ts';
import { proxyRestart } from './proxy-restart.ts';
import { redisOutage } from './redis-outage.ts';
import { replicaCrash } from './replica-crash.ts';

export const drills: Record<DrillName, Drill> = {
  replica_crash: replicaCrash,
  postgres_restart: postgresRestart,
  redis_outage: redisOutage,
  postgres_slow: postgresSlow,
  proxy_restart: proxyRestart,
  pod_delete: podDelete,
  rolling_update: rollingUpdate,
  rollback,
};
