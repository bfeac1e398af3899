import { and, asc, between, count as countRows, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { MeasureComputer, Period } from './measures-types.ts';
import { count, measure, notes } from './measures-figures.ts';
import { commitments, commitmentStatuses, saidDidEntries, statusCategories } from './tables.ts';

// Evidence from this feature's own tables: "you said, we did" entries per group, and our
// commitments by how their status counts.

// Published entries whose change happened in the period, per group (by the group's name as the
// entry keeps it), most first; entries with no group counted apart.
async function entriesPerGroup({ db }: FeatureContext, period: Period) {
  const rows = await db
    .select({ group: saidDidEntries.groupName, n: countRows() })
    .from(saidDidEntries)
    .where(and(isNotNull(saidDidEntries.publishedAt), between(saidDidEntries.happenedOn, period.from, period.to)))
    .groupBy(saidDidEntries.groupName)
    .orderBy(sql`count(*) desc`, asc(saidDidEntries.groupName));
  const total = rows.reduce((a, r) => a + r.n, 0);
  const named = rows.filter((r) => r.group);
  const ungrouped = rows.find((r) => !r.group)?.n ?? 0;
  return measure(
    'said-did.entries-per-group',
    'entries-per-group',
    [
      count('entries', total),
      ...named.map((r) => count('entriesForGroup', r.n, { group: r.group! })),
      ...(ungrouped ? [count('entriesNoGroup', ungrouped)] : []),
    ],
    total ? {} : { note: notes.nothing },
  );
}

// Commitments published by the end of the period, by their status's category as it stands.
async function onTrack({ db }: FeatureContext, period: Period) {
  const rows = await db
    .select({ category: commitmentStatuses.category, n: countRows() })
    .from(commitments)
    .innerJoin(commitmentStatuses, eq(commitmentStatuses.id, commitments.statusId))
    .where(and(isNotNull(commitments.publishedAt), lte(sql`(${commitments.publishedAt} at time zone 'Europe/London')::date`, period.to)))
    .groupBy(commitmentStatuses.category);
  const byCategory = new Map(rows.map((r) => [r.category, r.n]));
  const total = rows.reduce((a, r) => a + r.n, 0);
  return measure(
    'commitments.on-track',
    'on-track',
    [count('commitments', total), ...statusCategories.map((c) => count(`commitmentsIn.${c}`, byCategory.get(c) ?? 0))],
    total ? {} : { note: notes.nothing },
  );
}

export const ownMeasures: Record<'said-did.entries-per-group' | 'commitments.on-track', MeasureComputer> = {
  'said-did.entries-per-group': entriesPerGroup,
  'commitments.on-track': onTrack,
};
