import { ratings, type Rating } from './tables.ts';

// How a standard's rating moved since the previous completed round of the same framework, for
// the words "up from developing", "no change", "first round" (never a colour or arrow alone).
export type Movement = { kind: 'first' | 'up' | 'down' | 'same'; from: Rating | null };

export function movementOf(now: Rating | null, before: Rating | null | undefined): Movement | null {
  if (!now) return null;
  if (!before) return { kind: 'first', from: null };
  const change = ratings.indexOf(now) - ratings.indexOf(before);
  return { kind: change > 0 ? 'up' : change < 0 ? 'down' : 'same', from: before };
}
