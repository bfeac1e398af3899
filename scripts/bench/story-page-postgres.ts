import { seedBenchStory } from './lib/fixtures.ts';
import { appServerArgs, freePort, spawnNode, waitFor200 } from './lib/children.ts';
import { sampleMemory, warmThenMeasure, type LoadFigures } from './lib/load.ts';
import { withScratchPostgres } from './lib/scratch-postgres.ts';
import { measureRenders, measureRendersAsServer, serverEnv, type StoryPageOptions } from './story-page.ts';

export type StoryPagePostgresResult = {
  app: LoadFigures;
  appCompressed: LoadFigures;
  memory: { maxRssMb: number; peakHwmMb: number; samples: number };
  firstStartMs: number;
  startMs: number;
  render: Awaited<ReturnType<typeof measureRenders>>;
};

// The same story and load against the server on PostgreSQL (a scratch database, dropped after):
// its memory and restart have budgets of their own (250 MB under load, 1.5 s to the first page),
// as the server carries no embedded database there. Plain, then br/gzip, like the PGlite run.
export async function benchStoryPageOnPostgres(o: StoryPageOptions): Promise<StoryPagePostgresResult | { skipped: string }> {
  return withScratchPostgres('page', async (database) => {
    const seeded = await seedBenchStory(database.db, { commentCount: o.commentCount });
    const path = `/stories/${seeded.slug}`;
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const env = serverEnv({ PORT: String(port), BASE_URL: appUrl, DATABASE_URL: database.url! });
    const startServer = async (label: string) => {
      const child = spawnNode(appServerArgs(), env, o.root);
      const ms = await waitFor200(`${appUrl}${path}`, child, 20_000);
      o.log(`PostgreSQL, ${label}: the story page answered ${ms.toFixed(0)} ms after spawn`);
      return { child, ms };
    };
    const first = await startServer('first start on the seeded database');
    const server = first.child;
    o.log(`PostgreSQL app: ${o.warmupSec} s warm-up + ${o.durationSec} s at ${o.connections} connections, plain then br/gzip`);
    const load = { url: `${appUrl}${path}`, connections: o.connections, warmupSec: o.warmupSec, durationSec: o.durationSec };
    const memory = sampleMemory(server.pid, 100);
    const app = await warmThenMeasure(load);
    const appCompressed = await warmThenMeasure({ ...load, headers: { 'accept-encoding': 'br, gzip' } });
    const mem = memory.stop();
    await server.stop();
    if (server.proc.exitCode !== 0) o.log(`WARNING: server exited with ${server.proc.exitCode}:\n${server.output()}`);
    const restart = await startServer('restart');
    await restart.child.stop();
    o.log(`PostgreSQL uncached render: in a process started as the server is, ${o.renders} renders`);
    const render = await measureRendersAsServer({
      databaseUrl: database.url!,
      env,
      root: o.root,
      path,
      storyId: seeded.storyId,
      n: o.renders,
      warmup: o.renderWarmup,
    });
    return { app, appCompressed, memory: mem, firstStartMs: first.ms, startMs: restart.ms, render };
  });
}
