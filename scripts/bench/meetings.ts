import { sql } from 'drizzle-orm';
import type { DbHandle } from '#src/db/client.ts';
import { loadConfig } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { meetings } from '#src/features/groups/tables.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { fmt, infoRow, skippedRow, type Row } from './lib/report.ts';
import { onBothDatabases } from './lib/scratch-postgres.ts';
import { percentile } from './people-search.ts';

// Issue 12's registration check: 250 contributors register for a 200-place meeting, 50 at a time,
// then 30 of those with a place give it up, 15 at a time, while the rest of the waiting list waits.
// Every call goes through the registration service the form's route calls (the same transaction,
// the meeting row locked, the place or waiting-list decision, the emails queued), on PostgreSQL and
// PGlite. Then the rows are counted: the meeting is never over capacity, nobody's registration is
// lost or doubled, and each freed place went to the first person waiting. A miscount is a FAIL row.

const PLACES = 200;
const PEOPLE = 250;
const CONCURRENT = 50;
const CANCELLING = 30;

export type MeetingsRun = {
  database: 'postgres' | 'pglite';
  registerPerSec: number;
  registerP95Ms: number;
  cancelP95Ms: number;
  counts: { registered: number; waitlisted: number; cancelled: number; rows: number; promotedInOrder: boolean };
  problems: string[];
};
export type MeetingsBenchResult = { postgres: MeetingsRun | { skipped: string }; pglite: MeetingsRun; totalSec: number };

const person = (i: number): CurrentUser => ({
  id: `reg${i}`,
  name: `Registrant ${i}`,
  email: `reg${i}@example.net`,
  role: 'contributor',
  jobTitle: null,
});

async function seed(database: DbHandle): Promise<number> {
  await database.db.execute(
    sql.raw(`insert into "user" (id, name, email, email_verified, role, created_at, updated_at)
      select 'reg' || g, 'Registrant ' || g, 'reg' || g || '@example.net', true, 'contributor', now(), now()
      from generate_series(1, ${PEOPLE}) g`),
  );
  const day = 86_400_000;
  const [m] = await database.db
    .insert(meetings)
    .values({
      title: 'Open afternoon',
      startsAt: new Date(Date.now() + 20 * day),
      endsAt: new Date(Date.now() + 20 * day + 7_200_000),
      mode: 'in-person',
      venueName: 'Riverside Centre',
      venueAddress: '4 Mill Lane',
      capacity: PLACES,
      registration: 'open',
    })
    .returning({ id: meetings.id });
  return m!.id;
}

// Runs `task` for each item with at most `limit` at once, timing each.
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<{ ms: number[]; results: unknown[] }> {
  const ms: number[] = [];
  const results: unknown[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        const t = performance.now();
        results[i] = await task(items[i]!);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, results };
}

async function run(database: DbHandle, kind: MeetingsRun['database']): Promise<MeetingsRun> {
  const meetingId = await seed(database);
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    database,
    startJobs: true,
  });
  try {
    // As the server does before its first request: settings loaded, the queue started (emails are
    // queued in the registration's transaction).
    await app.ready();
    const regs = app.services.meetingRegistrations;
    const people = Array.from({ length: PEOPLE }, (_, i) => person(i + 1));
    const began = performance.now();
    const registering = await pool(people, CONCURRENT, (p) => regs.register(p, meetingId, { needs: ['step-free'] }, 'en'));
    const registerSec = (performance.now() - began) / 1000;
    const outcomes = registering.results.map((r) => (r as { kind: string }).kind);
    const problems: string[] = [];
    const answered = (k: string) => outcomes.filter((o) => o === k).length;
    if (answered('registered') !== PLACES || answered('waitlisted') !== PEOPLE - PLACES)
      problems.push(`answers: ${answered('registered')} places, ${answered('waitlisted')} waiting, of ${PEOPLE}`);

    // The first on the waiting list, in order, before anyone gives up a place.
    const waitingBefore = (await regs.forMeeting(meetingId)).filter((r) => r.status === 'waitlisted').map((r) => r.userId);
    const leaving = (await regs.forMeeting(meetingId)).filter((r) => r.status === 'registered').slice(0, CANCELLING);
    const cancelling = await pool(leaving, 15, (r) => regs.cancelOwn(person(Number(r.userId.slice(3))), meetingId));
    if (cancelling.results.some((done) => done !== true)) problems.push('a place could not be given up');

    const rows = await regs.forMeeting(meetingId);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    const promoted = new Set(rows.filter((r) => r.status === 'registered').map((r) => r.userId));
    const promotedInOrder = waitingBefore.slice(0, CANCELLING).every((id) => promoted.has(id));
    const counts = {
      registered: count('registered'),
      waitlisted: count('waitlisted'),
      cancelled: count('cancelled'),
      rows: rows.length,
      promotedInOrder,
    };
    if (counts.registered !== PLACES) problems.push(`${counts.registered} places taken of ${PLACES}`);
    if (counts.waitlisted !== PEOPLE - PLACES - CANCELLING) problems.push(`${counts.waitlisted} waiting`);
    if (counts.rows !== PEOPLE || new Set(rows.map((r) => r.userId)).size !== PEOPLE)
      problems.push(`${counts.rows} rows for ${PEOPLE} people`);
    if (!promotedInOrder) problems.push('a freed place skipped the first person waiting');
    return {
      database: kind,
      registerPerSec: PEOPLE / registerSec,
      registerP95Ms: percentile(registering.ms, 95),
      cancelP95Ms: percentile(cancelling.ms, 95),
      counts,
      problems,
    };
  } finally {
    await app.close();
  }
}

export async function benchMeetings(o: { log: (msg: string) => void }): Promise<MeetingsBenchResult> {
  return onBothDatabases('meetings', run, o.log);
}

export function meetingsRows(r: MeetingsBenchResult | { skipped: string } | { error: string }): Row[] {
  const title = `meeting registration, ${PEOPLE} people for ${PLACES} places, ${CONCURRENT} at once`;
  if ('skipped' in r) return [skippedRow(title, r.skipped)];
  if ('error' in r) return [];
  const rows: Row[] = [];
  for (const run of [r.postgres, r.pglite]) {
    if (!('database' in run)) {
      rows.push(skippedRow(`${title}: PostgreSQL`, run.skipped));
      continue;
    }
    const name = run.database === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const c = run.counts;
    rows.push({
      figure: `${title}: counted (${name})`,
      measured: `${c.registered} places, ${c.waitlisted} waiting, ${c.cancelled} given up, ${c.rows} rows`,
      budget: `${PLACES} / ${PEOPLE - PLACES - CANCELLING} / ${CANCELLING} / ${PEOPLE}`,
      margin: '',
      outcome: run.problems.length ? 'FAIL' : 'pass',
    });
    rows.push(
      infoRow(
        `${title}: rate, p95 (${name})`,
        `${fmt(run.registerPerSec, 0)} registrations/s, p95 ${fmt(run.registerP95Ms)} ms; giving up a place p95 ${fmt(run.cancelP95Ms)} ms`,
      ),
    );
  }
  return rows;
}
