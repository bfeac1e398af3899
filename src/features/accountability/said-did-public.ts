import type { Db } from '#src/db/client.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { publishedCommitmentsById } from './commitments-lookup.ts';
import type { SaidDidRepository } from './said-did-repository.ts';
import type { ListFilters } from './said-did-schema.ts';

export const ENTRIES_PER_PAGE = 20;
const SAME_GROUP_SHOWN = 5;

// What the public reads: the published entries, a page at a time with the filters' choices, and
// one entry with the commitment it advanced (only a published one) and others of its group.
// A draft is not there for anyone but staff.
export function createSaidDidPublic(db: Db, repo: SaidDidRepository, _ctx: FeatureContext) {
  return {
    async publicList(filters: ListFilters, page: number) {
      const [found, facets] = await Promise.all([
        repo.publicPage(filters, ENTRIES_PER_PAGE, (page - 1) * ENTRIES_PER_PAGE),
        repo.publicFacets(),
      ]);
      return { ...found, facets };
    },

    async publicEntry(slug: string) {
      const entry = await repo.bySlug(slug);
      if (!entry?.publishedAt) return null;
      const [commitments, sameGroup] = await Promise.all([
        publishedCommitmentsById(db, entry.commitmentId === null ? [] : [entry.commitmentId]),
        entry.groupId === null ? [] : repo.sameGroup(entry.groupId, entry.id, SAME_GROUP_SHOWN),
      ]);
      return { entry, commitment: entry.commitmentId === null ? null : (commitments.get(entry.commitmentId) ?? null), sameGroup };
    },
  };
}
