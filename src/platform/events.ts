import { EventEmitter } from 'node:events';
import type { Feature } from './feature.ts';
import { startEventBridge } from './events-bridge.ts';

// Domain events, so one feature can react to another's changes without reaching into its tables.
// Each feature declares the events it emits next to its manifest:
//
//   declare module '#src/platform/events.ts' {
//     interface DomainEvents { 'story.changed': [storyId: number] }
//   }
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type Events = EventEmitter<DomainEvents>;

declare module '#src/platform/services.ts' {
  interface Services {
    events: Events;
  }
}

// Each app's bridge to the other instances, when REDIS_URL is set (several apps may share a process
// in tests).
const bridges = new WeakMap<Events, { close: () => Promise<void> }>();

export const eventsModule: Feature = {
  name: 'events',
  services: () => ({ events: new EventEmitter<DomainEvents>() }),
  jobs: {
    async start({ config, services, extensions, log }) {
      if (!config.redisUrl) return;
      const bridge = await startEventBridge({ events: services.events, redisUrl: config.redisUrl, shared: extensions.sharedEvents, log });
      bridges.set(services.events, bridge);
    },
    async stop({ services }) {
      await bridges.get(services.events)?.close();
      bridges.delete(services.events);
    },
  },
};
