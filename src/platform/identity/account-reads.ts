import { ilike, inArray, or } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { user } from './tables.ts';

// How a page names the people in it: an account that still exists, or null for one since deleted.
export type AccountLabel = { id: string; name: string; email: string; role: string; jobTitle: string | null };

// `%`, `_` and `\` typed into a search box are letters, not LIKE patterns.
export const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

// Reads for pages that name many people at once (the audit log, "who has looked at your data"):
// one query for a whole page, never one per row.
export function createAccountReads(db: Db) {
  return {
    async accountsByIds(ids: readonly (string | null | undefined)[]): Promise<Map<string, AccountLabel>> {
      const unique = [...new Set(ids.filter((id): id is string => !!id))];
      if (!unique.length) return new Map();
      const rows = await db
        .select({ id: user.id, name: user.name, email: user.email, role: user.role, jobTitle: user.jobTitle })
        .from(user)
        .where(inArray(user.id, unique));
      return new Map(rows.map((r) => [r.id, r]));
    },

    // The ids of accounts whose name or email address contains the text, as a subquery another
    // query filters with (`inArray(column, accountIdsMatching('ann'))`), so a search that matches
    // thousands of people is still one statement.
    accountIdsMatching(text: string) {
      const pattern = `%${likeEscaped(text)}%`;
      return db
        .select({ id: user.id })
        .from(user)
        .where(or(ilike(user.name, pattern), ilike(user.email, pattern)));
    },
  };
}
