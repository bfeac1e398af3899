import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '#src/config.ts';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { buildApp } from '#src/app.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import { seedLivedExperienceTerms } from '#src/features/profile/demo.ts';
import { contributorImports } from '#src/features/people/tables.ts';
import { rowsOf } from '#src/db/rows.ts';
import { withScratchPostgres } from './lib/scratch-postgres.ts';
import { removeTempDir, trackTempDir } from './lib/children.ts';
import { cpuOf } from './lib/machine.ts';
import { budgetRow, fmt, infoRow, skippedRow, type Row } from './lib/report.ts';

// The register import budget (issue 10: ≥ 20,000 rows/s on PostgreSQL and ≥ 8,000 on PGlite, for 50,000 rows): a generated register of 50,000
// people is uploaded, mapped and confirmed through the real service, and the real queue worker
// imports it (the same path as /admin/people/import). Measured on a scratch PostgreSQL database
// and on PGlite in a new data dir on disk, as the server keeps it (an in-memory PGlite, as the
// tests use, spends about a third more CPU growing its files in memory). Rows/s counts every row
// checked (imported or rejected).

export type ImportRun = {
  database: string;
  rows: number;
  imported: number;
  rejected: number;
  jobSec: number;
  wallSec: number;
  perSec: number;
  chunks: number;
  // CPU seconds from confirm to done: this process (the app, and PGlite inside it) and the
  // PostgreSQL backends serving the database. Steadier than rates when other work shares the host.
  cpuSec: { app: number; database: number };
};
export type RegisterImportBenchResult =
  { skipped: string } | { postgres: ImportRun | { skipped: string }; pglite: ImportRun; csvMb: number };
export type RegisterImportBenchOptions = { log: (msg: string) => void; rows?: number };

export const IMPORT_BUDGET_ROWS_PER_SEC = 20_000;
export const IMPORT_BUDGET_PGLITE_ROWS_PER_SEC = 8_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A register as an organisation might keep it: some free text, several lists, two date formats,
// a line break inside a quoted address, and one row in 200 with no consent date (rejected).
export function generateRegister(rows: number): string {
  const regions = ['London', 'North West England', 'Yorkshire and the Humber', 'Wales', 'South West England'];
  const interests = ['Surveys', 'Reviewing documents; Groups', 'Co-design; Events', ''];
  const lived = ['Diabetes', 'Caring for a parent; Mental health condition', '', 'Hospital care'];
  const payment = ['Vouchers', 'fee', 'no-fee', ''];
  const lines = [
    'Full name,Email,Preferred name,Phone,Address,Region,Interests,Lived experience,Access needs,Payment,Last involved,Consent date,How consent was given,Membership number',
  ];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const consent = i % 200 === 199 ? '' : i % 2 ? `${day}/03/2024` : `2023-05-${day}`;
    lines.push(
      [
        `Person ${i} Example`,
        `person.${i}@example.net`,
        i % 3 ? `P${i}` : '',
        i % 4 ? `07700 ${String(900000 + (i % 99999)).slice(0, 6)}` : '',
        i % 5 ? `"${i} High Street\nTown ${i % 50}"` : '',
        regions[i % regions.length],
        interests[i % interests.length],
        lived[i % lived.length],
        i % 7 ? '' : 'Step-free access and papers a week before',
        payment[i % payment.length],
        i % 2 ? '' : `2025-0${(i % 9) + 1}-15`,
        consent,
        i % 2 ? 'Paper form at an open day' : '"Online form, 2023"',
        `M${100000 + i}`,
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

async function runOn(
  kind: string,
  database: DbHandle,
  csv: string,
  rows: number,
  log: RegisterImportBenchOptions['log'],
): Promise<ImportRun> {
  await seedLivedExperienceTerms(database.db);
  const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://127.0.0.1:3000', LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database });
  await app.ready();
  try {
    const staff = await createStaffUser(app.auth, {
      email: `bench-${randomBytes(3).toString('hex')}@example.org`,
      name: 'Bench',
      role: 'involvement',
      password: 'correct horse battery staple',
    });
    if (!staff.ok) throw new Error(staff.error);
    const imports = app.services.registerImports;
    const uploaded = await imports.upload(csv, { filename: 'register.csv', staffUserId: staff.userId });
    if (!uploaded.ok) throw new Error(uploaded.error);
    const draft = await imports.draftForMapping(uploaded.importId);
    const saved = await imports.saveMapping(uploaded.importId, Object.fromEntries(draft!.mapping.map((c, i) => [`column-${i}`, c])));
    if (!saved.ok) throw new Error(`the guessed columns were not accepted: ${JSON.stringify(saved)}`);
    // The PostgreSQL backends serving this database and the CPU each had used at the start; one
    // opened later counts from its own start. (PGlite runs inside this process.)
    const backends = new Map<number, { before: number; last: number }>();
    const sampleBackends = async (atStart = false) => {
      if (database.kind !== 'postgres') return;
      const pids = rowsOf<{ pid: number }>(
        await database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`),
      );
      for (const { pid } of pids) {
        const used = cpuOf([Number(pid)]);
        const known = backends.get(Number(pid));
        if (known) known.last = Math.max(known.last, used);
        else backends.set(Number(pid), { before: atStart ? used : 0, last: used });
      }
    };
    await sampleBackends(true);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (!(await imports.confirm(uploaded.importId, staff.userId))) throw new Error('the import did not start');
    let job = await imports.get(uploaded.importId);
    for (let last = -1; job && job.status !== 'done' && job.status !== 'failed';) {
      await sleep(200);
      await sampleBackends();
      job = await imports.get(uploaded.importId);
      if (job && job.processedRows !== last && job.processedRows % 10_000 < 1000)
        log(`register import (${kind}): ${job.processedRows.toLocaleString('en-GB')} rows checked`);
      last = job?.processedRows ?? last;
      if (performance.now() - t0 > 300_000) throw new Error('the import took over 5 minutes');
    }
    const wallSec = (performance.now() - t0) / 1000;
    await sampleBackends();
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = {
      app: (cpu.user + cpu.system) / 1e6,
      database: [...backends.values()].reduce((sum, b) => sum + b.last - b.before, 0),
    };
    if (!job || job.status !== 'done') throw new Error(`the import ended as ${job?.status}: ${job?.failure}`);
    const [row] = await database.db
      .select({ startedAt: contributorImports.startedAt, finishedAt: contributorImports.finishedAt })
      .from(contributorImports)
      .where(eq(contributorImports.id, job.id));
    const jobSec = (row!.finishedAt!.getTime() - row!.startedAt!.getTime()) / 1000;
    const result = {
      database: kind,
      rows,
      imported: job.importedCount,
      rejected: job.rejectedCount,
      jobSec,
      wallSec,
      perSec: rows / jobSec,
      chunks: Math.ceil(rows / 1000),
      cpuSec,
    };
    log(
      `register import (${kind}): ${fmt(result.perSec, 0)} rows/s (${result.imported} imported, ${result.rejected} rejected) in ${jobSec.toFixed(1)} s; ${wallSec.toFixed(1)} s from confirm to done; CPU ${cpuSec.app.toFixed(2)} s app + ${cpuSec.database.toFixed(2)} s database`,
    );
    return result;
  } finally {
    await app.close();
  }
}

export async function benchRegisterImport(o: RegisterImportBenchOptions): Promise<RegisterImportBenchResult> {
  const rows = o.rows ?? 50_000;
  const csv = generateRegister(rows);
  o.log(`register import: generated ${rows.toLocaleString('en-GB')} rows (${(csv.length / 2 ** 20).toFixed(1)} MB)`);

  const postgres = await withScratchPostgres('import', (database) => runOn('PostgreSQL', database, csv, rows, o.log));

  const dataDir = trackTempDir(mkdtempSync(join(tmpdir(), 'coproduce-bench-import-')));
  try {
    const lite = await openDatabase({ dataDir });
    try {
      await runMigrations(lite);
      const pglite = await runOn('PGlite', lite, csv, rows, o.log);
      return { postgres, pglite, csvMb: csv.length / 2 ** 20 };
    } finally {
      await lite.close();
    }
  } finally {
    removeTempDir(dataDir);
  }
}

export function registerImportRows(r: RegisterImportBenchResult | { error: string }): Row[] {
  const name = 'register CSV import, 50,000 rows';
  if ('skipped' in r) return [skippedRow(name, r.skipped)];
  if ('error' in r) return [infoRow(name, `could not run: ${r.error}`)];
  const rowsFor = (run: ImportRun | { skipped: string }, db: string, budget: number): Row[] => {
    if ('skipped' in run) return [skippedRow(`${name} (${db})`, run.skipped)];
    return [
      budgetRow(`${name} (${db})`, run.perSec, 'rows/s', 'min', budget, 0),
      infoRow(
        `  imported / rejected; job time, confirm → done (${db})`,
        `${run.imported} / ${run.rejected}; ${fmt(run.jobSec, 1)} s, ${fmt(run.wallSec, 1)} s`,
      ),
      infoRow(
        `  CPU, confirm → done: app + database backends (${db})`,
        `${fmt(run.cpuSec.app, 2)} s + ${fmt(run.cpuSec.database, 2)} s = ${fmt(run.cpuSec.app + run.cpuSec.database, 2)} s`,
      ),
    ];
  };
  return [
    ...rowsFor(r.postgres, 'PostgreSQL', IMPORT_BUDGET_ROWS_PER_SEC),
    ...rowsFor(r.pglite, 'PGlite', IMPORT_BUDGET_PGLITE_ROWS_PER_SEC),
  ];
}
