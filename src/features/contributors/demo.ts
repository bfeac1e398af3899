import type { Db } from '../../db/client.ts';
import { livedExperienceTerms } from './tables.ts';

// A starting taxonomy; admins rename, add and archive terms at /admin/lived-experience.
const starterTerms: Record<string, string[]> = {
  condition: ['Cancer', 'Diabetes', 'Heart or circulation condition', 'Long COVID', 'Mental health condition', 'Learning disability', 'Dementia', 'Sickle cell disorder'],
  service: ['GP or primary care', 'Hospital care', 'Mental health services', 'Maternity services', 'Social care', 'Blood or organ donation'],
  caring: ['Caring for a child', 'Caring for a partner', 'Caring for a parent', 'Young carer'],
};

export async function seedLivedExperienceTerms(db: Db) {
  const rows = Object.entries(starterTerms).flatMap(([category, labels]) => labels.map((label) => ({ category, label })));
  await db.insert(livedExperienceTerms).values(rows).onConflictDoNothing();
}
