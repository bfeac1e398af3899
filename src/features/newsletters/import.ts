import type { Db, Tx } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { createImportJobs } from '#src/platform/jobs/import-runner.ts';
import { noteFirstLine, parseImportDate, readCsvFile, type ParsedRow } from '#src/platform/jobs/import-rows.ts';
import { type RejectedRow } from '#src/platform/jobs/import-table.ts';
import { createImportsRepository } from './imports-repository.ts';
import { emailField } from './schema.ts';
import { msg } from '#src/lib/messages.ts';
import type { SubscriberStatus } from './tables.ts';
import { createTopicsRepository, type Topic } from './topics-repository.ts';

export const IMPORT_QUEUE = 'newsletter.import';
const columns = ['email', 'name', 'topics', 'consented_at', 'source'] as const;
const required = ['email', 'topics', 'consented_at', 'source'];
const normalise = (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));

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

const col = (ctx: Ctx, fields: string[], name: string) => (fields[ctx.header.indexOf(name)] ?? '').trim();
const emailOf = (ctx: Ctx, fields: string[]) => {
  const e = emailField.safeParse(col(ctx, fields, 'email'));
  return e.success ? e.data : null;
};

// One row of the file: what to import, or why it is rejected.
function checkRow(ctx: Ctx, line: number, fields: string[], existing: Map<string, SubscriberStatus>): Good | string {
  const rawEmail = col(ctx, fields, 'email');
  const email = emailOf(ctx, fields);
  if (!email) return rawEmail ? 'Email address is not valid' : 'Email address is missing';
  const earlier = ctx.first.get(email)!;
  if (earlier !== line) return `Same email address as line ${earlier}`;
  const status = existing.get(email);
  if (status === 'active') return 'Already subscribed; not changed';
  if (status && status !== 'pending')
    return `Has ${status === 'unsubscribed' ? 'unsubscribed' : `been marked as ${status}`}; an import does not subscribe them again`;
  const name = col(ctx, fields, 'name');
  if (name.length > 120) return 'Name must be 120 characters or fewer';
  const topicNames = col(ctx, fields, 'topics')
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (!topicNames.length) return 'No topic given';
  const unknown = topicNames.filter((t) => !ctx.topicByName.has(t.toLowerCase()));
  if (unknown.length) return `Unknown topic: ${unknown.join(', ')}`;
  const consentedAt = parseImportDate(col(ctx, fields, 'consented_at'), ctx.now);
  if (!consentedAt) return 'Consent date is missing, not a date, or in the future (write it like 2026-03-31)';
  const source = col(ctx, fields, 'source');
  if (!source || source.length > 200)
    return source ? 'Source must be 200 characters or fewer' : 'Source is missing: say where and how they gave consent';
  const chosen = [...new Set(topicNames.map((t) => ctx.topicByName.get(t.toLowerCase())!))];
  return {
    line,
    email,
    name: name || null,
    topicIds: chosen.map((t) => t.id),
    topicNames: chosen.map((t) => t.name),
    consentedAt,
    source,
    wasPending: status === 'pending',
  };
}

// Writes the rows that passed; a row whose address signed up meanwhile is rejected after all.
async function addSubscribers(tx: Db | Tx, ctx: Ctx, good: Good[], rejected: RejectedRow[]): Promise<number> {
  const repo = createImportsRepository(tx);
  // An unconfirmed web sign-up becomes subscribed on the consent the import records.
  const ids: { id: number; email: string }[] = [];
  for (const g of good.filter((c) => c.wasPending)) {
    const row = await repo.updateIfPending(g.email, {
      status: 'active',
      name: g.name,
      consentedAt: g.consentedAt,
      source: g.source,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      pendingTopicIds: null,
      updatedAt: ctx.now,
    });
    if (row) ids.push(row);
  }
  const fresh = good.filter((c) => !c.wasPending);
  if (fresh.length) {
    ids.push(
      ...(await repo.insertNew(
        fresh.map((g) => ({ email: g.email, name: g.name, status: 'active' as const, consentedAt: g.consentedAt, source: g.source })),
      )),
    );
  }
  const idOf = new Map(ids.map((r) => [r.email, r.id]));
  const added = good.filter((g) => idOf.has(g.email));
  for (const g of good)
    if (!idOf.has(g.email)) rejected.push({ line: g.line, email: g.email, reason: 'Signed up while the import ran; not changed' });
  if (added.length) {
    await repo.insertSubscriberTopics(added.flatMap((g) => g.topicIds.map((topicId) => ({ subscriberId: idOf.get(g.email)!, topicId }))));
    await repo.insertConsentEvents(
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
  return added.length;
}

// Every row is checked the same way it always was; the checks that need the database (who is
// subscribed already) are made for the whole chunk in one query.
async function processChunk(tx: Db | Tx, ctx: Ctx, rows: ParsedRow[]) {
  const rejected: RejectedRow[] = [];
  const emails = rows.map((r) => emailOf(ctx, r.fields)).filter((e): e is string => !!e);
  const existing = emails.length ? await createImportsRepository(tx).statusesOf(emails) : new Map<string, SubscriberStatus>();
  const good: Good[] = [];
  for (const { line, fields } of rows) {
    const checked = checkRow(ctx, line, fields, existing);
    if (typeof checked === 'string') rejected.push({ line, email: col(ctx, fields, 'email'), reason: checked });
    else good.push(checked);
  }
  if (!good.length) return { imported: 0, rejected };
  return { imported: await addSubscribers(tx, ctx, good, rejected), rejected };
}

// Subscribers who consented elsewhere, imported by a background job in chunks. Nobody is emailed.
export function createSubscriberImports(db: Db, deps: { queue: Queue; log: Log }) {
  const repo = createImportsRepository(db);
  const jobs = createImportJobs<Ctx>(
    db,
    deps.queue,
    {
      table: 'newsletter_imports',
      queueName: IMPORT_QUEUE,
      async prepare(job, header) {
        const staffUserId = await repo.staffUserIdOf(job.id);
        const topics = await createTopicsRepository(db).everyTopic();
        return {
          header: normalise(header),
          topicByName: new Map(topics.filter((t) => !t.archivedAt).map((t) => [t.name.toLowerCase(), t])),
          first: new Map(),
          filename: job.filename,
          staffUserId: staffUserId ?? null,
          now: new Date(),
        };
      },
      see: (ctx, row) => noteFirstLine(ctx.first, emailOf(ctx, row.fields), row.line),
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
      return {
        ok: false,
        error: msg('newsletters.admin.import.missingColumns', { columns: columns.join(', '), missing: missing.join(', ') }),
      };
    const importId = await db.transaction(async (tx) => {
      const id = await createImportsRepository(tx).insertImport({
        filename: opts.filename,
        status: 'queued',
        fileContent: text,
        totalRows: read.rows.length,
        importedCount: 0,
        rejectedCount: 0,
        staffUserId: opts.staffUserId,
      });
      if (opts.enqueue) await jobs.enqueue(id, tx);
      return id;
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
    recent: (limit: number) => repo.recent(limit),
  };
}
