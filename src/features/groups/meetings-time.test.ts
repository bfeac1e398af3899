import { describe, expect, it } from 'vitest';
import { londonToUtc, readClockTime, utcToLondon } from './meetings-time.ts';

// London wall time and UTC across the clock changes of 2026 (29 March forward, 25 October back).
describe('meeting times in London', () => {
  it('reads winter times as UTC and summer times as an hour ahead', () => {
    expect(londonToUtc('2026-01-15', '10:00')!.toISOString()).toBe('2026-01-15T10:00:00.000Z');
    expect(londonToUtc('2026-07-15', '10:00')!.toISOString()).toBe('2026-07-15T09:00:00.000Z');
    expect(utcToLondon(new Date('2026-07-15T09:00:00Z'))).toEqual({ date: '2026-07-15', time: '10:00' });
  });

  it('handles the March change: the skipped hour does not exist, the hours either side are right', () => {
    expect(londonToUtc('2026-03-29', '00:30')!.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(londonToUtc('2026-03-29', '01:30')).toBeNull();
    expect(londonToUtc('2026-03-29', '02:00')!.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(londonToUtc('2026-03-29', '10:00')!.toISOString()).toBe('2026-03-29T09:00:00.000Z');
    // A meeting the day before and the day after at 10:00 London time: an hour apart in UTC.
    expect(londonToUtc('2026-03-28', '10:00')!.toISOString()).toBe('2026-03-28T10:00:00.000Z');
  });

  it('handles the October change: the repeated hour is read as the first, still summer time', () => {
    expect(londonToUtc('2026-10-25', '00:30')!.toISOString()).toBe('2026-10-24T23:30:00.000Z');
    expect(londonToUtc('2026-10-25', '01:30')!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(utcToLondon(new Date('2026-10-25T01:30:00Z'))).toEqual({ date: '2026-10-25', time: '01:30' });
    expect(londonToUtc('2026-10-25', '10:00')!.toISOString()).toBe('2026-10-25T10:00:00.000Z');
    expect(londonToUtc('2026-10-24', '10:00')!.toISOString()).toBe('2026-10-24T09:00:00.000Z');
  });

  it('reads the times people type', () => {
    expect(readClockTime('14:30')).toBe('14:30');
    expect(readClockTime('2.30pm')).toBe('14:30');
    expect(readClockTime('9am')).toBe('09:00');
    expect(readClockTime('12am')).toBe('00:00');
    for (const bad of ['25:00', '13pm', 'noon', '', '9:7']) expect(readClockTime(bad)).toBeNull();
  });
});
