import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { contributorContacts, type ContactMethod } from './tables.ts';

// When staff contacted a person, and how. Drizzle queries only; rules live in contacts.ts.
export function createContactsRepository(db: Db) {
  return {
    // Newest contact first, with the account id of the member of staff (names come from identity).
    of: (subjectUserId: string) =>
      db
        .select({
          id: contributorContacts.id,
          contactedOn: contributorContacts.contactedOn,
          method: contributorContacts.method,
          note: contributorContacts.note,
          staffUserId: contributorContacts.staffUserId,
        })
        .from(contributorContacts)
        .where(eq(contributorContacts.subjectUserId, subjectUserId))
        .orderBy(desc(contributorContacts.contactedOn), desc(contributorContacts.id)),

    async add(
      row: { subjectUserId: string; staffUserId: string; contactedOn: string; method: ContactMethod; note: string | null },
      runner: Db | Tx = db,
    ) {
      const [added] = await runner.insert(contributorContacts).values(row).returning({ id: contributorContacts.id });
      return added!.id;
    },
  };
}
