import { statfs } from 'node:fs/promises';
import type { Feature } from '#src/platform/feature.ts';
import { classifyFault } from '#src/lib/faults.ts';

// Below this much free space where PGlite keeps its files, writes are about to fail: say so first.
export const MIN_FREE_BYTES = 64 * 1024 * 1024;
// A storage fault answered to anyone this recently keeps the check "degraded" (a tiny write may
// still fit in a page that has room while a comment's insert does not).
const RECENT_FAULT_MS = 60_000;
const CHECK_TIMEOUT_MS = 3_000;

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout exceeded when trying to connect')), ms).unref()),
  ]);

// For load balancers and uptime checks, and it tells the truth about writes (README, "Health check"):
// ok (200): the database answers and takes a write; degraded (503): it answers but cannot store
// anything (a full disk, nearly no free space, or storage faults in the last minute);
// unavailable (503): it does not answer.
export const healthFeature: Feature = {
  name: 'health',
  async routes(app) {
    app.get('/healthz', async (req, reply) => {
      const started = performance.now();
      const kind = app.database.kind;
      reply.header('cache-control', 'no-store');
      try {
        await within(CHECK_TIMEOUT_MS, app.database.ping());
      } catch (err) {
        req.log.error({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: { kind, reachable: false, writable: false } });
      }
      const latencyMs = Math.round(performance.now() - started);
      const problems: string[] = [];
      try {
        await within(CHECK_TIMEOUT_MS, app.services.settings.writeHealthCheck());
      } catch (err) {
        req.log.error({ err, fault: classifyFault(err) }, 'health check: the database refused a write');
        problems.push('write-refused');
      }
      const dataDir = app.config.dataDir;
      if (kind === 'pglite' && dataDir && !dataDir.startsWith('memory://')) {
        const fs = await statfs(dataDir).catch(() => null);
        if (fs && fs.bavail * fs.bsize < MIN_FREE_BYTES) problems.push('low-disk-space');
      }
      if (Date.now() - app.faultsSeen.STORAGE_FULL < RECENT_FAULT_MS) problems.push('recent-storage-faults');
      const writable = problems.length === 0;
      return reply.code(writable ? 200 : 503).send({
        status: writable ? 'ok' : 'degraded',
        database: { kind, reachable: true, writable, latencyMs },
        ...(writable ? {} : { problems }),
      });
    });
  },
};
