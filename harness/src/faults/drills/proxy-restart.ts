// The proxy restarts (a configuration change, a new image): connections are
// cut, clients connect again, the certificate they trust is the same one.
import { readCaCertificate } from '../../rehearsal/index.ts';
import { restartContainer } from '../../docker/index.ts';
import { secondsBetween, type Drill } from '../drill.ts';
import { healthyAgain, recoveryDeadline } from './support.ts';

export const proxyRestart: Drill = {
  name: 'proxy_restart',
  title: 'the proxy restarts',
  proves:
    'clients reconnect on their own within 5 s of the proxy being back, to the same certificate authority (its keys are kept), and nothing fails afterwards',
  slotMs: 30_000,
  thresholds: ['drill_recovery{drill:proxy_restart}=max<5'],
  async run({ stack, probe, output }, slot) {
    const proxy = stack.containerId('proxy');
    const ca = await readCaCertificate(proxy);
    const injectedAt = Date.now();
    await restartContainer(proxy, 10);
    const startedAt = Date.now();
    output(`proxy restarted in ${secondsBetween(injectedAt, startedAt)} s`);
    const ok = await probe.firstOkAfter(startedAt, recoveryDeadline(startedAt, slot.end));
    const recoveredAt = ok?.at ?? null;
    await healthyAgain(proxy, slot.end, injectedAt);
    const caAfter = await readCaCertificate(proxy).catch(() => '');
    return {
      episodes: [
        {
          injectedAt,
          clearedAt: startedAt,
          recoveredAt,
          recoverySeconds: recoveredAt === null ? null : secondsBetween(startedAt, recoveredAt),
        },
      ],
      checks: [
        {
          name: 'the restarted proxy serves from the same certificate authority',
          ok: caAfter === ca,
          detail:
            caAfter === ca
              ? 'same root certificate'
              : 'a new root certificate: clients that trusted the old one fail',
        },
      ],
      restarts: { proxy: 1 },
    };
  },
};
