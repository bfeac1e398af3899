import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents } from './tables.ts';

// Actions written to the trail. Add new ones here so the admin filter can offer them.
export const auditActions = {
  'contributor.data-downloaded': 'Contributor downloaded their data',
  'contributor.account-deleted': 'Contributor deleted their account',
  'contributor.viewed-by-staff': 'Staff looked at a contributor',
  'contributor.exported-by-staff': 'Staff exported contributors',
  'contributor.note-added': 'Staff added a note about a contributor',
  'organisation.approved': 'Staff approved a partner organisation',
  'organisation.declined': 'Staff declined a partner organisation',
  'organisation.archived': 'Staff archived a partner organisation',
  'organisation.restored': 'Staff restored a partner organisation',
  'contributor.register-imported': 'Staff imported an existing register of contributors',
} as const;
export type AuditAction = keyof typeof auditActions;

export type AuditEntry = {
  actorUserId: string | null;
  action: AuditAction;
  subjectUserId?: string | null;
  details?: Record<string, unknown>;
};
export type AuditFilter = { actor?: string; subject?: string; action?: string; page?: number };

const PER_PAGE = 50;

export function createAuditService(db: Db) {
  return {
    // Pass the caller's transaction so the entry is written exactly when the change commits.
    async record(entry: AuditEntry, tx: Db = db) {
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
