import type { Feature } from '#src/platform/feature.ts';

// For load balancers and uptime checks: 200 when the database answers, 503 when it does not.
export const healthFeature: Feature = {
  name: 'health',
  async routes(app) {
    app.get('/healthz', async (req, reply) => {
      const started = performance.now();
      try {
        await app.database.ping();
        return reply.header('cache-control', 'no-store').send({
          status: 'ok',
          database: { kind: app.database.kind, reachable: true, latencyMs: Math.round(performance.now() - started) },
        });
      } catch (err) {
        req.log.error({ err }, 'health check: database unreachable');
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .send({ status: 'unavailable', database: { kind: app.database.kind, reachable: false } });
      }
    });
  },
};
