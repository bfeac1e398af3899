import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { csvRow, parseCsv } from './csv.ts';
import { emailField } from './schema.ts';
import {
  newsletterConsentEvents,
  newsletterImports,
  newsletterSubscriberTopics,
  newsletterSubscribers,
  newsletterTopics,
  type RejectedRow,
  type SubscriberStatus,
} from './tables.ts';

export const MAX_IMPORT_ROWS = 100_000;
const KEPT_REJECTIONS = 5000;
const columns = ['email', 'name', 'topics', 'consented_at', 'source'] as const;
const required = ['email', 'topics', 'consented_at', 'source'];

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

// 2026-03-31, 2026-03-31T09:30:00Z (any ISO 8601 date-time) or 31/03/2026.
export function parseConsentDate(raw: string, now = new Date()): Date | null {
  let d: Date | null = null;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (uk) d = new Date(Date.UTC(Number(uk[3]), Number(uk[2]) - 1, Number(uk[1])));
  else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) d = new Date(raw.replace(' ', 'T'));
  if (!d || Number.isNaN(d.getTime())) return null;
  if (uk && d.getUTCDate() !== Number(uk[1])) return null;
  if (d.getTime() > now.getTime() + 86_400_000 || d.getUTCFullYear() < 1990) return null;
  return d;
}

type ImportOutcome = { ok: true; importId: number } | { ok: false; error: string };

export function createSubscriberAdmin(db: Db) {
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
      const rows = await db.select({ status: newsletterSubscribers.status, n: count() }).from(newsletterSubscribers).groupBy(newsletterSubscribers.status);
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
        for (const r of rows) chunk += csvRow([r.email, r.name, r.status, r.topics, r.consentedAt ? r.consentedAt.toISOString() : '', r.source]);
        yield chunk;
        cursor = rows[rows.length - 1]!.id;
      }
    },

    // People who consented elsewhere (a paper form, an event). Every row is checked; good rows are
    // added in one transaction and nobody is emailed. The report says what happened to each row.
    async importCsv(text: string, opts: { filename: string; staffUserId: string | null; now?: Date }): Promise<ImportOutcome> {
      const now = opts.now ?? new Date();
      const rows = parseCsv(text);
      if (!rows.length) return { ok: false, error: 'The selected file is empty' };
      const header = rows[0]!.fields.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
      const missing = required.filter((c) => !header.includes(c));
      if (missing.length) return { ok: false, error: `The first row must name the columns: ${columns.join(', ')}. Missing: ${missing.join(', ')}` };
      const body = rows.slice(1);
      if (!body.length) return { ok: false, error: 'The file has column names but no rows of people' };
      if (body.length > MAX_IMPORT_ROWS) return { ok: false, error: `The file must have ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows or fewer` };
      const col = (fields: string[], name: string) => (fields[header.indexOf(name)] ?? '').trim();

      const topics = await db.select().from(newsletterTopics);
      const topicByName = new Map(topics.filter((t) => !t.archivedAt).map((t) => [t.name.toLowerCase(), t]));
      const emails = body.map((r) => col(r.fields, 'email').toLowerCase()).filter(Boolean);
      const existing = new Map<string, SubscriberStatus>();
      for (let i = 0; i < emails.length; i += 5000) {
        const found = await db
          .select({ email: newsletterSubscribers.email, status: newsletterSubscribers.status })
          .from(newsletterSubscribers)
          .where(inArray(newsletterSubscribers.email, emails.slice(i, i + 5000)));
        for (const f of found) existing.set(f.email, f.status);
      }

      const rejected: RejectedRow[] = [];
      const seen = new Map<string, number>();
      const good: { email: string; name: string | null; topicIds: number[]; topicNames: string[]; consentedAt: Date; source: string; wasPending: boolean }[] = [];
      for (const { line, fields } of body) {
        const rawEmail = col(fields, 'email');
        const reject = (reason: string) => rejected.push({ line, email: rawEmail, reason });
        const email = emailField.safeParse(rawEmail);
        if (!email.success) {
          reject(rawEmail ? 'Email address is not valid' : 'Email address is missing');
          continue;
        }
        const earlier = seen.get(email.data);
        if (earlier) {
          reject(`Same email address as line ${earlier}`);
          continue;
        }
        seen.set(email.data, line);
        const status = existing.get(email.data);
        if (status === 'active') {
          reject('Already subscribed; not changed');
          continue;
        }
        if (status && status !== 'pending') {
          reject(`Has ${status === 'unsubscribed' ? 'unsubscribed' : `been marked as ${status}`}; an import does not subscribe them again`);
          continue;
        }
        const name = col(fields, 'name');
        if (name.length > 120) {
          reject('Name must be 120 characters or fewer');
          continue;
        }
        const topicNames = col(fields, 'topics')
          .split(/[;|]/)
          .map((t) => t.trim())
          .filter(Boolean);
        if (!topicNames.length) {
          reject('No topic given');
          continue;
        }
        const unknown = topicNames.filter((t) => !topicByName.has(t.toLowerCase()));
        if (unknown.length) {
          reject(`Unknown topic: ${unknown.join(', ')}`);
          continue;
        }
        const consentedAt = parseConsentDate(col(fields, 'consented_at'), now);
        if (!consentedAt) {
          reject('Consent date is missing, not a date, or in the future (write it like 2026-03-31)');
          continue;
        }
        const source = col(fields, 'source');
        if (!source || source.length > 200) {
          reject(source ? 'Source must be 200 characters or fewer' : 'Source is missing: say where and how they gave consent');
          continue;
        }
        const chosen = [...new Set(topicNames.map((t) => topicByName.get(t.toLowerCase())!))];
        good.push({ email: email.data, name: name || null, topicIds: chosen.map((t) => t.id), topicNames: chosen.map((t) => t.name), consentedAt, source, wasPending: status === 'pending' });
      }

      let imported = 0;
      const importId = await db.transaction(async (t) => {
        const tx = t as unknown as Db;
        for (let i = 0; i < good.length; i += 1000) {
          const chunk = good.slice(i, i + 1000);
          // An unconfirmed web sign-up becomes subscribed on the consent the import records.
          const ids: { id: number; email: string }[] = [];
          for (const g of chunk.filter((c) => c.wasPending)) {
            const [row] = await tx
              .update(newsletterSubscribers)
              .set({ status: 'active', name: g.name, consentedAt: g.consentedAt, source: g.source, confirmTokenHash: null, confirmExpiresAt: null, pendingTopicIds: null, updatedAt: now })
              .where(and(eq(newsletterSubscribers.email, g.email), eq(newsletterSubscribers.status, 'pending')))
              .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email });
            if (row) ids.push(row);
          }
          const fresh = chunk.filter((c) => !c.wasPending);
          if (fresh.length) {
            ids.push(
              ...(await tx
                .insert(newsletterSubscribers)
                .values(fresh.map((g) => ({ email: g.email, name: g.name, status: 'active' as const, consentedAt: g.consentedAt, source: g.source })))
                .onConflictDoNothing({ target: newsletterSubscribers.email })
                .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email })),
            );
          }
          const idOf = new Map(ids.map((r) => [r.email, r.id]));
          const added = chunk.filter((g) => idOf.has(g.email));
          for (const g of chunk) if (!idOf.has(g.email)) rejected.push({ line: seen.get(g.email)!, email: g.email, reason: 'Signed up while the import ran; not changed' });
          if (!added.length) continue;
          await tx.insert(newsletterSubscriberTopics).values(added.flatMap((g) => g.topicIds.map((topicId) => ({ subscriberId: idOf.get(g.email)!, topicId }))));
          await tx.insert(newsletterConsentEvents).values(
            added.map((g) => ({
              subscriberId: idOf.get(g.email)!,
              action: 'imported' as const,
              topics: g.topicNames,
              privacyNoticeVersion: null,
              source: 'import',
              detail: `Consent given ${g.consentedAt.toISOString().slice(0, 10)}: ${g.source} (file ${opts.filename})`,
              staffUserId: opts.staffUserId,
            })),
          );
          imported += added.length;
        }
        rejected.sort((a, b) => a.line - b.line);
        const [row] = await tx
          .insert(newsletterImports)
          .values({
            filename: opts.filename,
            totalRows: body.length,
            importedCount: imported,
            rejectedCount: rejected.length,
            rejected: rejected.slice(0, KEPT_REJECTIONS),
            staffUserId: opts.staffUserId,
          })
          .returning({ id: newsletterImports.id });
        return row!.id;
      });
      return { ok: true, importId };
    },

    async importReport(id: number) {
      return (await db.select().from(newsletterImports).where(eq(newsletterImports.id, id)))[0];
    },

    recentImports: () => db.select().from(newsletterImports).orderBy(desc(newsletterImports.id)).limit(10),
  };
}
export type SubscriberAdmin = ReturnType<typeof createSubscriberAdmin>;
