import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { loadConfig } from '#src/config.ts';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { migrationsFolder, runMigrations } from '#src/db/migrate.ts';
import { rowsOf } from '#src/db/rows.ts';
import { buildApp } from '#src/app.ts';
import { testDbKind } from '#tests/helpers/database.ts';
import { adminQuery } from '#tests/helpers/postgres-admin.ts';

// A database made by the code before comments could be on any page and before the contributor
// feature was split (migrations up to 0002) upgrades in place: every comment keeps its story,
// thread and moderation state, a join waiting for its emailed link keeps what was agreed, and the
// site serves the same story page.
const LAST_OLD_MIGRATION = '0002_people_search';

// A copy of the migrations folder that stops at the last migration the old code had.
function oldMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-old-migrations-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const last = journal.entries.findIndex((e) => e.tag === LAST_OLD_MIGRATION);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return dir;
}

// An empty database of the kind this run tests, without any migration applied.
async function emptyDatabase(): Promise<DbHandle> {
  if (testDbKind === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `coproduce_upgrade_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 3 });
  const close = handle.close;
  handle.close = async () => {
    await close();
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  };
  return handle;
}

describe('upgrading a database made by the earlier code', async () => {
  const database = await emptyDatabase();
  const old = oldMigrations();
  afterAll(async () => {
    rmSync(old, { recursive: true, force: true });
    await database.close();
  });
  const { db } = database;
  if (database.kind === 'pglite') await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder: old });
  else await migratePg(db as unknown as NodePgDatabase, { migrationsFolder: old });

  // What the old code wrote: a story with a thread of comments in three states, a report, a
  // contributor with a profile, and a join waiting for its link to be followed.
  await db.execute(
    sql`insert into settings (key, value) values ('site', '{"name":"Old Site","welcome":"","moderation":"all","moderationEmail":""}')`,
  );
  const [story] = rowsOf<{ id: number }>(
    await db.execute(sql`
      insert into stories (slug, title, summary, body_markdown, body_html, author_name, status, published_at)
      values ('old-story', 'An old story', 'Summary.', 'Body.', '<p>Body.</p>', 'Author', 'published', now() - interval '2 days')
      returning id`),
  );
  const comment = async (parentId: number | null, name: string, status: string) =>
    rowsOf<{ id: number }>(
      await db.execute(sql`
        insert into comments (story_id, parent_id, author_name, author_email, body, status, created_at)
        values (${story!.id}, ${parentId}, ${name}, ${`${name.toLowerCase()}@example.org`}, ${`Said by ${name}`}, ${status}, now() - interval '1 day')
        returning id`),
    )[0]!.id;
  const first = await comment(null, 'Ada', 'approved');
  const reply = await comment(first, 'Ben', 'approved');
  const pending = await comment(reply, 'Cy', 'pending');
  const rejected = await comment(null, 'Di', 'rejected');
  await db.execute(sql`insert into comment_reports (comment_id, reason) values (${first}, 'spam')`);
  await db.execute(
    sql`insert into "user" (id, name, email, role) values ('old-contributor', 'Olive Oldfield', 'olive@example.net', 'contributor')`,
  );
  await db.execute(sql`insert into contributor_profiles (user_id, region) values ('old-contributor', 'Wales')`);
  await db.execute(sql`
    insert into contributor_join_requests (token_hash, email, privacy_notice_version, consented_at, expires_at)
    values ('hash-of-a-token', 'joining@example.net', '2026-11-contributors-1', '2026-11-29T10:00:00Z', now() + interval '10 minutes')`);

  await runMigrations(database);

  it('keeps every comment on its story, in its thread, with its state and reports', async () => {
    const rows = rowsOf<{ id: number; target_type: string; target_id: number; parent_id: number | null; status: string }>(
      await db.execute(sql`select id, target_type, target_id, parent_id, status from comments order by id`),
    );
    expect(rows).toEqual([
      { id: first, target_type: 'story', target_id: story!.id, parent_id: null, status: 'approved' },
      { id: reply, target_type: 'story', target_id: story!.id, parent_id: first, status: 'approved' },
      { id: pending, target_type: 'story', target_id: story!.id, parent_id: reply, status: 'pending' },
      { id: rejected, target_type: 'story', target_id: story!.id, parent_id: null, status: 'rejected' },
    ]);
    const reports = rowsOf<{ comment_id: number }>(await db.execute(sql`select comment_id from comment_reports`));
    expect(reports).toEqual([{ comment_id: first }]);
  });

  it('keeps what a person agreed to when asking to join, and copies account names onto profiles', async () => {
    const requests = rowsOf<{ email: string; purpose: string; details: Record<string, string> | string }>(
      await db.execute(sql`select email, purpose, details from sign_in_link_requests`),
    );
    expect(requests).toHaveLength(1);
    const details = typeof requests[0]!.details === 'string' ? JSON.parse(requests[0]!.details) : requests[0]!.details;
    expect(requests[0]).toMatchObject({ email: 'joining@example.net', purpose: 'join' });
    expect(details).toEqual({ privacyNoticeVersion: '2026-11-contributors-1', consentedAt: '2026-11-29T10:00:00.000Z' });
    const [profile] = rowsOf<{ account_name: string; account_email: string }>(
      await db.execute(sql`select account_name, account_email from contributor_profiles where user_id = 'old-contributor'`),
    );
    expect(profile).toEqual({ account_name: 'Olive Oldfield', account_email: 'olive@example.net' });
  });

  it('serves the same story page, with the approved thread and without the rest', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' }) };
    const app = await buildApp({ config, database, startJobs: false });
    try {
      const page = await app.inject('/stories/old-story');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('An old story');
      expect(page.body).toContain('Comments (2)');
      expect(page.body).toContain('Said by Ada');
      expect(page.body).toContain('Said by Ben');
      expect(page.body).not.toContain('Said by Cy');
      expect(page.body).not.toContain('Said by Di');
      expect(page.body).toContain(`href="/stories/old-story/comments/new?parent=${reply}#add-comment"`);
    } finally {
      await app.close();
    }
  });
});
