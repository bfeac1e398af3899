import { and, desc, eq, gt, notInArray, or, isNull } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { MatchFacts } from '#src/features/profile/service.ts';
import { opportunities, type opportunityTypes } from './tables.ts';

type OpportunityType = (typeof opportunityTypes)[number];
export type Opportunity = typeof opportunities.$inferSelect;

// The profile's interest (profile/schema.ts interestOptions) that each kind of opportunity answers.
export const interestForType: Record<OpportunityType, string | null> = {
  'peer-review': 'reviewing',
  'communications-review': 'reviewing',
  'lived-experience-group': 'groups',
  'associate-role': 'groups',
  'co-design': 'co-design',
  event: 'events',
  survey: 'surveys',
  other: null,
};

// Why an opportunity suits a person, strongest first; none means it does not match. Lived
// experience sought and held is the strongest reason; an opportunity that seeks none is open to
// everyone's experience, so interest or place decide. Someone outside its region matches only
// when it can be done online.
export type MatchReason =
  | { kind: 'lived-experience'; termIds: number[] }
  | { kind: 'interest'; interest: string }
  | { kind: 'region'; region: string }
  | { kind: 'online' };

export function reasonsToMatch(
  opportunity: Pick<Opportunity, 'type' | 'soughtTermIds' | 'region' | 'mode'>,
  person: MatchFacts,
): MatchReason[] {
  const reasons: MatchReason[] = [];
  const shared = opportunity.soughtTermIds.filter((id) => person.termIds.includes(id));
  if (opportunity.soughtTermIds.length && !shared.length) return [];
  if (shared.length) reasons.push({ kind: 'lived-experience', termIds: shared });
  const interest = interestForType[opportunity.type];
  if (interest && person.interests.includes(interest)) reasons.push({ kind: 'interest', interest });
  const inRegion = !opportunity.region || opportunity.region === person.region;
  if (!inRegion && opportunity.mode === 'in-person') return [];
  if (opportunity.region && opportunity.region === person.region) reasons.push({ kind: 'region', region: opportunity.region });
  else if (opportunity.mode !== 'in-person' && person.availableWays.includes('online')) reasons.push({ kind: 'online' });
  // A match needs more than "it is online": lived experience, an interest or the person's region.
  return reasons.some((r) => r.kind !== 'online') ? reasons : [];
}

export function createMatchingRepository(db: Db) {
  return {
    // Open opportunities (still taking applications) that match a person, strongest reasons
    // first, then closing soonest. There are at most a few hundred open at once, so the rules run
    // here rather than in SQL.
    async openMatching(person: MatchFacts, opts: { exclude?: number[]; limit?: number; publishedAfter?: Date; now?: Date } = {}) {
      const now = opts.now ?? new Date();
      const rows = await db
        .select()
        .from(opportunities)
        .where(
          and(
            eq(opportunities.status, 'open'),
            or(isNull(opportunities.closesAt), gt(opportunities.closesAt, now)),
            opts.exclude?.length ? notInArray(opportunities.id, opts.exclude) : undefined,
            opts.publishedAfter ? gt(opportunities.publishedAt, opts.publishedAfter) : undefined,
          ),
        )
        .orderBy(desc(opportunities.publishedAt));
      return rows
        .map((opportunity) => ({ opportunity, reasons: reasonsToMatch(opportunity, person) }))
        .filter((m) => m.reasons.length)
        .sort(
          (a, b) =>
            strength(b.reasons) - strength(a.reasons) ||
            (a.opportunity.closesAt?.getTime() ?? Infinity) - (b.opportunity.closesAt?.getTime() ?? Infinity),
        )
        .slice(0, opts.limit ?? 5);
    },
  };
}

const weights = { 'lived-experience': 4, interest: 2, region: 1, online: 0 } as const;
export const strength = (reasons: MatchReason[]) => reasons.reduce((n, r) => n + weights[r.kind], 0);
