import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { columnParams } from '#src/db/array-param.ts';
import { consentEvents } from './tables.ts';

export type ConsentRow = typeof consentEvents.$inferSelect;
export type NewConsent = {
  userId: string;
  purpose: string;
  action: string;
  privacyNoticeVersion: string;
  at?: Date;
  source?: string | null;
};

// Drizzle queries only; rules live in the service.
export function createConsentRepository(db: Db) {
  return {
    async add(row: NewConsent, runner: Db | Tx = db) {
      await runner.insert(consentEvents).values(row);
    },

    // Many rows in one statement (an imported register): one parameter per column, unnested by
    // the server, rather than one per value.
    async addMany(rows: Required<NewConsent>[], runner: Db | Tx) {
      if (!rows.length) return;
      const col = columnParams(rows);
      await runner.execute(sql`
        insert into ${consentEvents} (user_id, purpose, action, privacy_notice_version, at, source)
        select * from unnest(${col((r) => r.userId)}::text[], ${col((r) => r.purpose)}::text[], ${col((r) => r.action)}::text[],
          ${col((r) => r.privacyNoticeVersion)}::text[], ${col((r) => r.at.toISOString())}::timestamptz[], ${col((r) => r.source)}::text[])`);
    },

    // Newest first.
    async of(userId: string): Promise<ConsentRow[]> {
      return db
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.userId, userId))
        .orderBy(desc(consentEvents.at), desc(consentEvents.id));
    },

    async anonymise(userId: string, runner: Db | Tx) {
      await runner.update(consentEvents).set({ userId: null }).where(eq(consentEvents.userId, userId));
    },
  };
}
