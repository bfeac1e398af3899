import { EventEmitter } from 'node:events';
import type { Feature } from './feature.ts';

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

export const eventsModule: Feature = {
  name: 'events',
  services: () => ({ events: new EventEmitter<DomainEvents>() }),
};
