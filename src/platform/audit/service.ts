import { and, count, desc, eq, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import type { Feature } from '#src/platform/feature.ts';
import type { IdentityService } from '#src/platform/identity/service.ts';
import { likeEscaped, type AccountLabel } from '#src/platform/identity/account-reads.ts';
import { auditEvents } from './tables.ts';

// Every action has its words for the audit log page; features declare theirs in their manifest
// (`auditActions`), so the list of actions is never kept by hand here.
export type AuditEntry = { actorUserId: string | null; action: string; subjectUserId?: string | null; details?: Record<string, unknown> };
// `person` is typed text matching the name or email of whoever did it or whom it was about (or
// the start of a deleted account's id); `from` and `before` bound `at` (inclusive, exclusive).
export type AuditFilter = { actor?: string; subject?: string; person?: string; action?: string; from?: Date; before?: Date; page?: number };
export type AuditRow = typeof auditEvents.$inferSelect;

export const PER_PAGE = 50;
const EXPORT_BATCH = 1000;

type Deps = {
  actions: Record<string, string>;
  features: readonly Feature[];
  identity: Pick<IdentityService, 'accountsByIds' | 'accountIdsMatching'>;
};

export function createAuditService(db: Db, { actions, features, identity }: Deps) {
  function conditions(filter: AuditFilter): SQL | undefined {
    const where: (SQL | undefined)[] = [];
    if (filter.actor) where.push(eq(auditEvents.actorUserId, filter.actor));
    if (filter.subject) where.push(eq(auditEvents.subjectUserId, filter.subject));
    if (filter.action) where.push(eq(auditEvents.action, filter.action));
    if (filter.from) where.push(gte(auditEvents.at, filter.from));
    if (filter.before) where.push(lt(auditEvents.at, filter.before));
    const person = filter.person?.trim();
    if (person) {
      const matching = identity.accountIdsMatching(person);
      const either: (SQL | undefined)[] = [inArray(auditEvents.actorUserId, matching), inArray(auditEvents.subjectUserId, matching)];
      // A deleted account has no name left, only its id: a whole id finds it (by the indexes), and
      // so does the log's own label for it, "Deleted account 1a2b…", or just "1a2b…", pasted in.
      const shown = /^(?:.*\s)?([A-Za-z0-9_-]{4,64})(?:…|\.\.\.)$/.exec(person)?.[1];
      if (shown) {
        const prefix = `${likeEscaped(shown)}%`;
        either.push(like(auditEvents.actorUserId, prefix), like(auditEvents.subjectUserId, prefix));
      } else if (/^[A-Za-z0-9_-]{16,64}$/.test(person)) {
        either.push(eq(auditEvents.actorUserId, person), eq(auditEvents.subjectUserId, person));
      }
      where.push(or(...either));
    }
    return where.length ? and(...where) : undefined;
  }

  async function countMatching(filter: AuditFilter) {
    const [counted] = await db.select({ n: count() }).from(auditEvents).where(conditions(filter));
    return counted?.n ?? 0;
  }

  return {
    // Action name → the words the audit log shows for it.
    actions,
    describe: (action: string) => actions[action] ?? action,
    // The actions by the module or feature that declared them, in list order, for the action filter.
    actionGroups: features.flatMap((f) =>
      f.auditActions && Object.keys(f.auditActions).length ? [{ feature: f, actions: f.auditActions }] : [],
    ),

    // Pass the caller's transaction so the entry is written exactly when the change commits.
    async record(entry: AuditEntry, tx: Db | Tx = db) {
      // A misspelt action would be unreadable and unfilterable in the log: refuse it loudly.
      if (!(entry.action in actions)) throw new Error(`Unknown audit action ${entry.action}: declare it in the feature's auditActions`);
      await tx.insert(auditEvents).values({
        actorUserId: entry.actorUserId,
        action: entry.action,
        subjectUserId: entry.subjectUserId ?? null,
        details: entry.details ?? {},
      });
    },

    count: countMatching,

    // One page of entries, newest first, with how many match in all.
    async list(filter: AuditFilter = {}) {
      const where = conditions(filter);
      const page = Math.max(1, filter.page ?? 1);
      const [rows, total] = await Promise.all([
        db
          .select()
          .from(auditEvents)
          .where(where)
          .orderBy(desc(auditEvents.at), desc(auditEvents.id))
          .limit(PER_PAGE)
          .offset((page - 1) * PER_PAGE),
        countMatching(filter),
      ]);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      return { items: rows, page, total, pages, hasNext: page < pages };
    },

    // Every entry that matches, newest first, a batch at a time (each batch is one query, read by
    // position after the last row sent, so a long export never slows down or holds a cursor open).
    async *batches(filter: AuditFilter): AsyncGenerator<AuditRow[]> {
      const where = conditions({ ...filter, page: undefined });
      // Compared with the stored row itself: `at` holds microseconds that a JavaScript Date would lose.
      let after: number | null = null;
      for (;;) {
        const rows: AuditRow[] = await db
          .select()
          .from(auditEvents)
          .where(
            and(
              where,
              after === null
                ? undefined
                : sql`(${auditEvents.at}, ${auditEvents.id}) < (select a.at, a.id from ${auditEvents} a where a.id = ${after})`,
            ),
          )
          .orderBy(desc(auditEvents.at), desc(auditEvents.id))
          .limit(EXPORT_BATCH);
        if (rows.length) yield rows;
        if (rows.length < EXPORT_BATCH) return;
        after = rows[rows.length - 1]!.id;
      }
    },

    // Every entry about one person, newest first, for their own "Download my data".
    about: (subjectUserId: string) =>
      db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, subjectUserId)).orderBy(desc(auditEvents.at), desc(auditEvents.id)),

    // The accounts named by these entries (who did it and whom it was about), in one query; an id
    // missing from the map is an account since deleted.
    people: (rows: readonly Pick<AuditRow, 'actorUserId' | 'subjectUserId'>[]): Promise<Map<string, AccountLabel>> =>
      identity.accountsByIds(rows.flatMap((r) => [r.actorUserId, r.subjectUserId])),
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
