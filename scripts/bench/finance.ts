import { sql } from 'drizzle-orm';
import type { DbHandle } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { loadConfig } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { parseCsv } from '#src/lib/csv.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { budgetRow, errorRow, fmt, infoRow, skippedRow, type Row } from './lib/report.ts';
import { onBothDatabases } from './lib/scratch-postgres.ts';
import { percentile } from './people-search.ts';

// Issue 13's budgets: the finance export of 10,000 approved claims (from 2,500 people) made and
// its CSV written in < 2 s, through the service the "Create export" button and the download call
// (the claims moved, their history, the audit entry and one email per person, all in one
// transaction); and a person's tax-year totals over 1,000 claims (with their 1,000 records) in
// < 50 ms p95 over 50 runs. On PostgreSQL and PGlite. The CSV's total is checked against the sum
// of the claims in SQL, to the penny.

const CLAIMS = 10_000;
const PEOPLE = 2_500;
const HEAVY_CLAIMS = 1_000;
const RUNS = 50;
export const FINANCE_BUDGETS = { exportMs: 2000, totalsP95Ms: 50 };

export type FinanceRun = {
  database: 'postgres' | 'pglite';
  exportMs: number;
  csvMs: number;
  claimsExported: number;
  emails: number;
  emailsMs: number;
  totalsMatch: boolean;
  totalsP95Ms: number;
  totalsMedianMs: number;
};
export type FinanceBenchResult = { postgres: FinanceRun | { skipped: string }; pglite: FinanceRun; totalSec: number };

async function seed(database: DbHandle) {
  const run = (text: string) => database.db.execute(sql.raw(text));
  await run(`insert into "user" (id, name, email, email_verified, role, created_at, updated_at)
    select 'fin' || g, 'Payee ' || g, 'fin' || g || '@example.net', true, 'contributor', now(), now() from generate_series(1, ${PEOPLE + 1}) g
    union all select 'finstaff', 'Finance staff', 'finstaff@example.org', true, 'finance', now(), now()
    union all select 'finlead', 'Staff lead', 'finlead@example.org', true, 'involvement', now(), now()`);
  await run(`insert into involvement_payees (user_id, reference, name)
    select 'fin' || g, 'P' || lpad(g::text, 6, '0'), 'Payee ' || g from generate_series(1, ${PEOPLE + 1}) g`);
  await run(`insert into involvement_claims (payee_id, user_id, activity_title, activity_kind, activity_on, group_name, fee_choice,
      fee_quantity, fee_pence, expenses_pence, total_pence, status, submitted_at, approved_at, approved_by)
    select p.id, p.user_id, 'Panel meeting ' || g, 'meeting', date '2026-05-01' + (g % 300), 'Carers panel', 'fee',
      120, 2500 + g % 777, g % 1234, 2500 + g % 777 + g % 1234, 'approved', now(), now(), 'finlead'
    from generate_series(1, ${CLAIMS}) g join involvement_payees p on p.user_id = 'fin' || (g % ${PEOPLE} + 1)`);
  // One person with 1,000 pieces of involvement, each claimed: paid, on the way or still a draft.
  const heavy = `fin${PEOPLE + 1}`;
  await run(`insert into involvement_records (user_id, source, title, occurred_on, minutes)
    select '${heavy}', 'manual', 'Review ' || g, date '2025-06-01' + (g % 700), 90 from generate_series(1, ${HEAVY_CLAIMS}) g`);
  await run(`insert into involvement_claims (record_id, payee_id, user_id, activity_title, activity_on, fee_pence, total_pence, status, paid_on)
    select r.id, p.id, r.user_id, r.title, r.occurred_on, 3000, 3000,
      (array['paid', 'submitted', 'exported', 'draft'])[r.id % 4 + 1], case when r.id % 4 = 0 then r.occurred_on + 30 end
    from involvement_records r join involvement_payees p on p.user_id = r.user_id where r.user_id = '${heavy}'`);
  const [row] = rowsOf<{ id: number }>(await run(`select id from involvement_payees where user_id = '${heavy}'`));
  return row!.id;
}

async function run(database: DbHandle, kind: FinanceRun['database']): Promise<FinanceRun> {
  const heavyPayee = await seed(database);
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    database,
    startJobs: true,
  });
  try {
    await app.ready();
    const { finance } = app.services;
    const staff: CurrentUser = { id: 'finstaff', name: 'Finance staff', email: 'finstaff@example.org', role: 'finance', jobTitle: null };
    const [expected] = rowsOf<{ total: number }>(
      await database.db.execute(sql`select coalesce(sum(total_pence), 0)::int as total from involvement_claims where status = 'approved'`),
    );
    const began = performance.now();
    const made = await finance.createExport(staff);
    const exported = performance.now();
    if (!made.ok) throw new Error('the export found no approved claims');
    const csv = await finance.csv(staff, made.value, app.featureContext.i18n.translator('en'));
    const done = performance.now();
    const totalsCell = parseCsv(csv).at(-1)!.fields[8]!;
    // The emails the export promised, written by its queue job: one per person.
    const emailsCounted = async () =>
      rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from mail_messages where kind = 'claim-exported'`))[0]!
        .n;
    let emails = 0;
    while ((emails = await emailsCounted()) < PEOPLE && performance.now() - done < 120_000) await new Promise((r) => setTimeout(r, 100));
    const emailsMs = performance.now() - done;

    const ms: number[] = [];
    for (let i = 0; i < RUNS + 5; i++) {
      const t = performance.now();
      await finance.yearTotals(heavyPayee, '2026-27');
      if (i >= 5) ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return {
      database: kind,
      exportMs: done - began,
      csvMs: done - exported,
      claimsExported: made.value.claimCount,
      emails,
      emailsMs,
      totalsMatch: made.value.totalPence === expected!.total && Number(totalsCell.replace('.', '')) === expected!.total,
      totalsP95Ms: percentile(ms, 95),
      totalsMedianMs: percentile(ms, 50),
    };
  } finally {
    await app.close();
  }
}

export async function benchFinance(o: { log: (msg: string) => void }): Promise<FinanceBenchResult> {
  return onBothDatabases('finance', run, o.log);
}

export function financeRows(r: FinanceBenchResult | { skipped: string } | { error: string }): Row[] {
  const title = `finance export of ${CLAIMS.toLocaleString('en-GB')} approved claims + its CSV`;
  if ('skipped' in r) return [skippedRow(title, r.skipped)];
  if ('error' in r) return [errorRow(title, r.error)];
  const rows: Row[] = [];
  for (const x of [r.postgres, r.pglite]) {
    if (!('database' in x)) {
      rows.push(skippedRow(`${title} (PostgreSQL)`, x.skipped));
      continue;
    }
    const name = x.database === 'postgres' ? 'PostgreSQL' : 'PGlite';
    rows.push(budgetRow(`${title} (${name})`, x.exportMs, 'ms', 'max', FINANCE_BUDGETS.exportMs, 0));
    rows.push(
      infoRow(
        `finance export: CSV part / claims / total to the penny / emails written after (${name})`,
        `${fmt(x.csvMs, 0)} ms / ${x.claimsExported} / ${x.totalsMatch ? 'yes' : 'NO'} / ${x.emails} in ${fmt(x.emailsMs / 1000, 1)} s`,
      ),
    );
    if (!x.totalsMatch || x.claimsExported !== CLAIMS || x.emails !== PEOPLE)
      rows.push({ figure: `finance export counted (${name})`, measured: 'mismatch', budget: String(CLAIMS), margin: '', outcome: 'FAIL' });
    rows.push(
      budgetRow(
        `a person's tax-year totals over ${HEAVY_CLAIMS} claims, p95 (${name})`,
        x.totalsP95Ms,
        'ms',
        'max',
        FINANCE_BUDGETS.totalsP95Ms,
        2,
      ),
    );
    rows.push(infoRow(`a person's tax-year totals, median (${name})`, `${fmt(x.totalsMedianMs, 2)} ms`));
  }
  return rows;
}
