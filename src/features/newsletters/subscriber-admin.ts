import { and, asc, count, desc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { csvRow } from '#src/lib/csv.ts';
import { createSubscriberImports } from './import.ts';
import { newsletterImports, newsletterSubscribers, type SubscriberStatus } from './tables.ts';

// Written out in full: inside a select list Drizzle leaves column names unqualified, and an
// unqualified "id" in this subquery would mean the topic's id, not the subscriber's.
const topicNamesSql = sql<string>`coalesce((select string_agg(t.name, '; ' order by t.name) from newsletter_subscriber_topics st join newsletter_topics t on t.id = st.topic_id where st.subscriber_id = newsletter_subscribers.id), '')`;

const listColumns = {
  id: newsletterSubscribers.id,
  email: newsletterSubscribers.email,
  name: newsletterSubscribers.name,
  status: newsletterSubscribers.status,
  consentedAt: newsletterSubscribers.consentedAt,
  source: newsletterSubscribers.source,
  createdAt: newsletterSubscribers.createdAt,
  topics: topicNamesSql,
};

// Kept under its old name: dates in an import are read the same way everywhere.
export { parseImportDate as parseConsentDate } from '#src/platform/jobs/import-rows.ts';

type Log = { error: (obj: unknown, msg?: string) => void };

export function createSubscriberAdmin(db: Db, deps: { queue: Queue; log: Log }) {
  const imports = createSubscriberImports(db, deps);
  const filterWhere = (q: string, status: SubscriberStatus | ''): SQL | undefined => {
    const parts: SQL[] = [];
    if (status) parts.push(eq(newsletterSubscribers.status, status));
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(or(ilike(newsletterSubscribers.email, like), ilike(newsletterSubscribers.name, like))!);
    }
    return parts.length ? and(...parts) : undefined;
  };

  return {
    async search(opts: { q: string; status: SubscriberStatus | ''; page: number; perPage: number }) {
      const where = filterWhere(opts.q, opts.status);
      const [items, [total]] = await Promise.all([
        db
          .select(listColumns)
          .from(newsletterSubscribers)
          .where(where)
          .orderBy(desc(newsletterSubscribers.id))
          .limit(opts.perPage)
          .offset((opts.page - 1) * opts.perPage),
        db.select({ n: count() }).from(newsletterSubscribers).where(where),
      ]);
      return { items, total: Number(total?.n ?? 0) };
    },

    async counts(): Promise<Record<string, number>> {
      const rows = await db
        .select({ status: newsletterSubscribers.status, n: count() })
        .from(newsletterSubscribers)
        .groupBy(newsletterSubscribers.status);
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    async get(id: number) {
      const [row] = await db.select(listColumns).from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id));
      return row;
    },

    // The whole list as CSV, read in pages so a large list never sits in memory at once.
    async *exportCsv(opts: { q: string; status: SubscriberStatus | '' }): AsyncGenerator<string> {
      yield csvRow(['email', 'name', 'status', 'topics', 'consented_at', 'source']);
      let cursor = 0;
      for (;;) {
        const where = filterWhere(opts.q, opts.status);
        const rows = await db
          .select(listColumns)
          .from(newsletterSubscribers)
          .where(where ? and(where, gt(newsletterSubscribers.id, cursor)) : gt(newsletterSubscribers.id, cursor))
          .orderBy(asc(newsletterSubscribers.id))
          .limit(2000);
        if (!rows.length) return;
        let chunk = '';
        for (const r of rows)
          chunk += csvRow([r.email, r.name, r.status, r.topics, r.consentedAt ? r.consentedAt.toISOString() : '', r.source]);
        yield chunk;
        cursor = rows[rows.length - 1]!.id;
      }
    },

    // People who consented elsewhere (a paper form, an event): the file is checked for its columns
    // now and imported by a background job (import.ts), which reports what became of every row.
    startImport: (text: string, opts: { filename: string; staffUserId: string | null }) => imports.start(text, opts),
    // The same, run to the end before returning (scripts and tests).
    importCsv: (text: string, opts: { filename: string; staffUserId: string | null }) => imports.importNow(text, opts),
    runImport: (id: number, opts?: { maxChunks?: number }) => imports.jobs.run(id, opts),
    startImportWorker: async () => {
      await imports.jobs.startWorker();
      await imports.jobs.sweep();
    },

    importReport: (id: number) => imports.jobs.get(id),

    recentImports: () =>
      db
        .select({
          id: newsletterImports.id,
          filename: newsletterImports.filename,
          status: newsletterImports.status,
          createdAt: newsletterImports.createdAt,
          importedCount: newsletterImports.importedCount,
          rejectedCount: newsletterImports.rejectedCount,
        })
        .from(newsletterImports)
        .orderBy(desc(newsletterImports.id))
        .limit(10),
  };
}
export type SubscriberAdmin = ReturnType<typeof createSubscriberAdmin>;
