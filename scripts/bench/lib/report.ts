import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Outcome = 'pass' | 'FAIL' | 'info' | 'skipped' | 'error';
export type Row = { figure: string; measured: string; budget: string; margin: string; outcome: Outcome };

// A row for a budget of the form "at least" (higher is better) or "below" (lower is better); margin
// is measured/budget so a reader sees how close each figure is.
export function budgetRow(figure: string, value: number, unit: string, kind: 'min' | 'max', limit: number, digits = 1): Row {
  const ok = kind === 'min' ? value >= limit : value < limit;
  return {
    figure,
    measured: `${fmt(value, digits)} ${unit}`.trim(),
    budget: `${kind === 'min' ? '≥' : '<'} ${fmt(limit, digits)} ${unit}`.trim(),
    margin: `${(value / limit).toFixed(2)}×`,
    outcome: Number.isFinite(value) && ok ? 'pass' : 'FAIL',
  };
}

export function infoRow(figure: string, measured: string): Row {
  return { figure, measured, budget: '', margin: '', outcome: 'info' };
}

export function skippedRow(figure: string, reason: string): Row {
  return { figure, measured: `skipped: ${reason}`, budget: '', margin: '', outcome: 'skipped' };
}

export function errorRow(figure: string, message: string): Row {
  return { figure, measured: `could not run: ${message}`, budget: '', margin: '', outcome: 'error' };
}

export const fmt = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(n);

export function printTable(rows: Row[]) {
  const head: Row = { figure: 'figure', measured: 'measured', budget: 'budget', margin: 'vs budget', outcome: 'info' };
  const cols = ['figure', 'measured', 'budget', 'margin'] as const;
  const width = (k: (typeof cols)[number]) => Math.max(...[head, ...rows].map((r) => [...r[k]].length));
  const line = (r: Row, result: string) => `${cols.map((k) => r[k].padEnd(width(k))).join('  ')}  ${result}`;
  console.log('');
  console.log(line(head, 'result'));
  console.log(
    line(
      {
        figure: '-'.repeat(width('figure')),
        measured: '-'.repeat(width('measured')),
        budget: '-'.repeat(width('budget')),
        margin: '-'.repeat(width('margin')),
        outcome: 'info',
      },
      '------',
    ),
  );
  for (const r of rows) console.log(line(r, r.outcome === 'info' ? '' : r.outcome));
  console.log('');
}

export function writeResults(dir: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${stamp}.json`);
  const json = `${JSON.stringify(data, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(dir, 'latest.json'), json);
  return file;
}
