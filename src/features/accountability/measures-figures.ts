import type { FeatureContext } from '#src/platform/feature.ts';
import type { Measure, MeasureComputer, MeasureFigure, MeasureKey, Period } from './measures-types.ts';

// Small builders the measures share, so every measure words itself the same way.

const M = 'measures';

// A share as a whole percentage, or null when there is nothing to divide by.
export const percentOf = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part * 100) / whole) : null);

// Days to one decimal place (a median of an even count may fall between two whole days).
export const daysOf = (days: number | null): number | null => (days === null ? null : Math.round(days * 10) / 10);

export const count = (name: string, value: number, values?: Record<string, string | number>): MeasureFigure => ({
  label: `${M}.figures.${name}`,
  value,
  unit: 'count',
  ...(values ? { values } : {}),
});
export const percent = (name: string, value: number | null): MeasureFigure => ({ label: `${M}.figures.${name}`, value, unit: 'percent' });
export const days = (name: string, value: number | null): MeasureFigure => ({
  label: `${M}.figures.${name}`,
  value: daysOf(value),
  unit: 'days',
});

// The measure's frame: its title and method keys are named after it (`measures.<name>.title`).
export function measure(key: MeasureKey, name: string, figures: MeasureFigure[], extra: Partial<Measure> = {}): Measure {
  return { key, title: `${M}.${name}.title`, method: `${M}.${name}.method`, figures, ...extra };
}

export const notes = { nothing: `${M}.notes.nothing`, tooFew: `${M}.notes.tooFew`, noGroups: `${M}.notes.noGroups` };

// A measure read from one service call: its figures from the answer, and the "nothing to count"
// note when the answer counted nothing.
export function measureFrom<T>(
  key: MeasureKey,
  name: string,
  read: (ctx: FeatureContext, period: Period) => Promise<T>,
  figures: (answer: T) => MeasureFigure[],
  counted: (answer: T) => number,
): MeasureComputer {
  return async (ctx, period) => {
    const answer = await read(ctx, period);
    return measure(key, name, figures(answer), counted(answer) ? {} : { note: notes.nothing });
  };
}
