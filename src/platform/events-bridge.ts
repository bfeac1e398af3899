import { randomUUID } from 'node:crypto';
import type { Log } from '#src/lib/log.ts';

// Several instances behind a load balancer each keep their own caches (the story page, ...). The
// events a manifest lists as `sharedEvents` only say "what you cached of this is stale", so they
// are safe to hear on every instance: with REDIS_URL set, each one emitted here is also published
// on Redis, and each one another instance published is emitted here. Other events (which may
// write to the database) stay in the process that emitted them.

export const EVENTS_CHANNEL = 'coproduce:events';
type Message = { from: string; name: string; args: unknown[] };

export async function startEventBridge(o: { events: object; redisUrl: string; shared: readonly string[]; log: Log }) {
  const shared = new Set(o.shared);
  const instance = randomUUID();
  const options = { maxRetriesPerRequest: 2, enableOfflineQueue: true };
  // ioredis is loaded only when REDIS_URL is set (ADR 10).
  const { Redis } = await import('ioredis');
  const publisher = new Redis(o.redisUrl, options);
  const subscriber = new Redis(o.redisUrl, options);
  // Redis away: this instance's caches still expire on their own time to live (the page in 10 s).
  for (const client of [publisher, subscriber]) client.on('error', (err) => o.log.warn({ err: err.message }, 'redis: shared events'));

  const events = o.events as unknown as { emit: (name: string, ...args: unknown[]) => boolean };
  const localEmit = events.emit.bind(events);
  events.emit = (name: string, ...args: unknown[]) => {
    if (shared.has(name)) {
      publisher.publish(EVENTS_CHANNEL, JSON.stringify({ from: instance, name, args } satisfies Message)).catch(() => undefined);
    }
    return localEmit(name, ...args);
  };

  subscriber.on('message', (_channel: string, raw: string) => {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (message.from === instance || !shared.has(message.name) || !Array.isArray(message.args)) return;
    localEmit(message.name, ...message.args);
  });
  await subscriber.subscribe(EVENTS_CHANNEL);

  return {
    async close() {
      events.emit = localEmit;
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
