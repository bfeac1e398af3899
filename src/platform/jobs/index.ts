import type { Feature } from '#src/platform/feature.ts';
import { createQueue, type Queue } from './queue.ts';
import { createRetention, type Retention } from './retention.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    queue: Queue;
    retention: Retention;
  }
}

// The durable job queue (pg-boss on the same database) and the retention timer. First to start
// and, because modules stop in reverse order, last to stop.
export const jobsModule: Feature = {
  name: 'jobs',
  services: (ctx) => ({ queue: createQueue(ctx.database, ctx.log), retention: createRetention(ctx) }),
  jobs: {
    async start({ services }) {
      await services.queue.start();
      await services.retention.start();
    },
    async stop({ services }) {
      services.retention.stop();
      await services.queue.stop();
    },
  },
};
