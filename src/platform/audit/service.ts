import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { auditEvents } from './tables.ts';

// Every action has its words for the audit log page; features declare theirs in their manifest
// (`auditActions`), so the list of actions is never kept by hand here.
export type AuditEntry = { actorUserId: string | null; action: string; subjectUserId?: string | null; details?: Record<string, unknown> };
export type AuditFilter = { actor?: string; subject?: string; action?: string; page?: number };

const PER_PAGE = 50;

export function createAuditService(db: Db, actions: Record<string, string>) {
  return {
    // Action name → the words the audit log shows for it.
    actions,
    describe: (action: string) => actions[action] ?? action,

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

    async list(filter: AuditFilter = {}) {
      const where: SQL[] = [];
      if (filter.actor) where.push(eq(auditEvents.actorUserId, filter.actor));
      if (filter.subject) where.push(eq(auditEvents.subjectUserId, filter.subject));
      if (filter.action) where.push(eq(auditEvents.action, filter.action));
      const page = Math.max(1, filter.page ?? 1);
      const rows = await db
        .select()
        .from(auditEvents)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE);
      return { items: rows.slice(0, PER_PAGE), page, hasNext: rows.length > PER_PAGE };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
