import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { createImportJobs } from '#src/platform/jobs/import-runner.ts';
import { firstLines, parseImportDate, readCsvFile, type ParsedRow } from '#src/platform/jobs/import-rows.ts';
import { type RejectedRow } from '#src/platform/jobs/import-table.ts';
import { emailField } from './schema.ts';
import {
  newsletterConsentEvents,
  newsletterImports,
  newsletterSubscriberTopics,
  newsletterSubscribers,
  newsletterTopics,
  type SubscriberStatus,
} from './tables.ts';

export const IMPORT_QUEUE = 'newsletter.import';
const columns = ['email', 'name', 'topics', 'consented_at', 'source'] as const;
const required = ['email', 'topics', 'consented_at', 'source'];
const normalise = (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));

type Topic = typeof newsletterTopics.$inferSelect;
type Ctx = {
  header: string[];
  topicByName: Map<string, Topic>;
  first: Map<string, number>;
  filename: string;
  staffUserId: string | null;
  now: Date;
};
type Good = {
  line: number;
  email: string;
  name: string | null;
  topicIds: number[];
  topicNames: string[];
  consentedAt: Date;
  source: string;
  wasPending: boolean;
};
export type ImportOutcome = { ok: true; importId: number } | { ok: false; error: string };

// Subscribers who consented elsewhere, imported by a background job in chunks. Nobody is emailed.
export function createSubscriberImports(db: Db, deps: { queue: Queue; log: { error: (obj: unknown, msg?: string) => void } }) {
  const col = (ctx: Ctx, fields: string[], name: string) => (fields[ctx.header.indexOf(name)] ?? '').trim();
  const emailOf = (ctx: Ctx, fields: string[]) => {
    const e = emailField.safeParse(col(ctx, fields, 'email'));
    return e.success ? e.data : null;
  };

  // Every row is checked the same way it always was; the checks that need the database (who is
  // subscribed already) are made for the whole chunk in one query.
  async function processChunk(tx: Db, ctx: Ctx, rows: ParsedRow[]) {
    const rejected: RejectedRow[] = [];
    const emails = rows.map((r) => emailOf(ctx, r.fields)).filter((e): e is string => !!e);
    const existing = new Map<string, SubscriberStatus>();
    if (emails.length) {
      const found = await tx
        .select({ email: newsletterSubscribers.email, status: newsletterSubscribers.status })
        .from(newsletterSubscribers)
        .where(inArray(newsletterSubscribers.email, emails));
      for (const f of found) existing.set(f.email, f.status);
    }
    const good: Good[] = [];
    for (const { line, fields } of rows) {
      const rawEmail = col(ctx, fields, 'email');
      const reject = (reason: string) => rejected.push({ line, email: rawEmail, reason });
      const email = emailOf(ctx, fields);
      if (!email) {
        reject(rawEmail ? 'Email address is not valid' : 'Email address is missing');
        continue;
      }
      const earlier = ctx.first.get(email)!;
      if (earlier !== line) {
        reject(`Same email address as line ${earlier}`);
        continue;
      }
      const status = existing.get(email);
      if (status === 'active') {
        reject('Already subscribed; not changed');
        continue;
      }
      if (status && status !== 'pending') {
        reject(`Has ${status === 'unsubscribed' ? 'unsubscribed' : `been marked as ${status}`}; an import does not subscribe them again`);
        continue;
      }
      const name = col(ctx, fields, 'name');
      if (name.length > 120) {
        reject('Name must be 120 characters or fewer');
        continue;
      }
      const topicNames = col(ctx, fields, 'topics')
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean);
      if (!topicNames.length) {
        reject('No topic given');
        continue;
      }
      const unknown = topicNames.filter((t) => !ctx.topicByName.has(t.toLowerCase()));
      if (unknown.length) {
        reject(`Unknown topic: ${unknown.join(', ')}`);
        continue;
      }
      const consentedAt = parseImportDate(col(ctx, fields, 'consented_at'), ctx.now);
      if (!consentedAt) {
        reject('Consent date is missing, not a date, or in the future (write it like 2026-03-31)');
        continue;
      }
      const source = col(ctx, fields, 'source');
      if (!source || source.length > 200) {
        reject(source ? 'Source must be 200 characters or fewer' : 'Source is missing: say where and how they gave consent');
        continue;
      }
      const chosen = [...new Set(topicNames.map((t) => ctx.topicByName.get(t.toLowerCase())!))];
      good.push({
        line,
        email,
        name: name || null,
        topicIds: chosen.map((t) => t.id),
        topicNames: chosen.map((t) => t.name),
        consentedAt,
        source,
        wasPending: status === 'pending',
      });
    }
    if (!good.length) return { imported: 0, rejected };

    // An unconfirmed web sign-up becomes subscribed on the consent the import records.
    const ids: { id: number; email: string }[] = [];
    for (const g of good.filter((c) => c.wasPending)) {
      const [row] = await tx
        .update(newsletterSubscribers)
        .set({
          status: 'active',
          name: g.name,
          consentedAt: g.consentedAt,
          source: g.source,
          confirmTokenHash: null,
          confirmExpiresAt: null,
          pendingTopicIds: null,
          updatedAt: ctx.now,
        })
        .where(and(eq(newsletterSubscribers.email, g.email), eq(newsletterSubscribers.status, 'pending')))
        .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email });
      if (row) ids.push(row);
    }
    const fresh = good.filter((c) => !c.wasPending);
    if (fresh.length) {
      ids.push(
        ...(await tx
          .insert(newsletterSubscribers)
          .values(
            fresh.map((g) => ({ email: g.email, name: g.name, status: 'active' as const, consentedAt: g.consentedAt, source: g.source })),
          )
          .onConflictDoNothing({ target: newsletterSubscribers.email })
          .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email })),
      );
    }
    const idOf = new Map(ids.map((r) => [r.email, r.id]));
    const added = good.filter((g) => idOf.has(g.email));
    for (const g of good)
      if (!idOf.has(g.email)) rejected.push({ line: g.line, email: g.email, reason: 'Signed up while the import ran; not changed' });
    if (added.length) {
      await tx
        .insert(newsletterSubscriberTopics)
        .values(added.flatMap((g) => g.topicIds.map((topicId) => ({ subscriberId: idOf.get(g.email)!, topicId }))));
      await tx.insert(newsletterConsentEvents).values(
        added.map((g) => ({
          subscriberId: idOf.get(g.email)!,
          action: 'imported' as const,
          topics: g.topicNames,
          privacyNoticeVersion: null,
          source: 'import',
          detail: `Consent given ${g.consentedAt.toISOString().slice(0, 10)}: ${g.source} (file ${ctx.filename})`,
          staffUserId: ctx.staffUserId,
        })),
      );
    }
    return { imported: added.length, rejected };
  }

  const jobs = createImportJobs<Ctx>(
    db,
    deps.queue,
    {
      table: 'newsletter_imports',
      queueName: IMPORT_QUEUE,
      async prepare(job, header, rows) {
        const [row] = await db
          .select({ staffUserId: newsletterImports.staffUserId })
          .from(newsletterImports)
          .where(eq(newsletterImports.id, job.id));
        const topics = await db.select().from(newsletterTopics);
        const ctx: Ctx = {
          header: normalise(header),
          topicByName: new Map(topics.filter((t) => !t.archivedAt).map((t) => [t.name.toLowerCase(), t])),
          first: new Map(),
          filename: job.filename,
          staffUserId: row?.staffUserId ?? null,
          now: new Date(),
        };
        ctx.first = firstLines(rows, (r) => emailOf(ctx, r.fields));
        return ctx;
      },
      processChunk,
    },
    deps.log,
  );

  // Checks the file can be used at all, then stores it, queued, in one transaction with its job.
  async function create(text: string, opts: { filename: string; staffUserId: string | null; enqueue: boolean }): Promise<ImportOutcome> {
    const read = readCsvFile(text);
    if (!read.ok) return read;
    const header = normalise(read.header);
    const missing = required.filter((c) => !header.includes(c));
    if (missing.length)
      return { ok: false, error: `The first row must name the columns: ${columns.join(', ')}. Missing: ${missing.join(', ')}` };
    const importId = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(newsletterImports)
        .values({
          filename: opts.filename,
          status: 'queued',
          fileContent: text,
          totalRows: read.rows.length,
          importedCount: 0,
          rejectedCount: 0,
          staffUserId: opts.staffUserId,
        })
        .returning({ id: newsletterImports.id });
      if (opts.enqueue) await jobs.enqueue(row!.id, tx);
      return row!.id;
    });
    return { ok: true, importId };
  }

  return {
    jobs,
    start: (text: string, opts: { filename: string; staffUserId: string | null }) => create(text, { ...opts, enqueue: true }),
    async importNow(text: string, opts: { filename: string; staffUserId: string | null }): Promise<ImportOutcome> {
      const created = await create(text, { ...opts, enqueue: false });
      if (created.ok) await jobs.run(created.importId);
      return created;
    },
  };
}
