import { randomUUID } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { contributorLivedExperience, contributorProfiles } from '#src/features/profile/tables.ts';

type ProfileFields = Partial<Omit<typeof contributorProfiles.$inferInsert, 'userId'>>;

// A contributor straight into the tables (for search tests that need many varied people); the
// search vector comes from the real database trigger, as it would for someone who joined.
export async function insertContributor(
  db: Db,
  name: string,
  fields: ProfileFields & { joinedAt?: Date; role?: string; termIds?: number[] } = {},
) {
  const { joinedAt, role, termIds, ...profile } = fields;
  const id = randomUUID().replace(/-/g, '');
  const email = `${id.slice(0, 10)}@example.net`;
  await db.insert(user).values({
    id,
    name,
    email,
    emailVerified: true,
    role: role ?? 'contributor',
    createdAt: joinedAt ?? new Date(),
    updatedAt: new Date(),
  });
  await db.insert(contributorProfiles).values({ userId: id, ...profile });
  if (termIds?.length) await db.insert(contributorLivedExperience).values(termIds.map((termId) => ({ userId: id, termId })));
  return { id, name, email };
}
