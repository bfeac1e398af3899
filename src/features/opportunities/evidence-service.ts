import { sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { applications, opportunities } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    opportunityEvidence: OpportunityEvidence;
  }
}

// A period of whole days in the UK, both ends included ('2026-04-01' to '2027-03-31').
type Days = { from: string; to: string };
const londonDay = (column: unknown) => sql`(${column} at time zone 'Europe/London')::date`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

// What the involvement standards' computed evidence needs from opportunities (the accountability
// feature, issue 15): counts over a period in one statement each, never a person. The diversity
// figures come from the profile's summary, which refuses groups smaller than 5.
export function createOpportunityEvidence(db: Db, ctx: FeatureContext) {
  return {
    // Of the opportunities published in the period, how many stated payment (a fee or expenses)
    // and how many stated access support (support offered or accessible formats).
    async paymentAndAccess(days: Days): Promise<{ published: number; statedPayment: number; statedAccess: number }> {
      const [row] = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select count(*)::int as published,
            count(*) filter (where (${opportunities.paid} and ${opportunities.feePence} is not null)
              or jsonb_array_length(${opportunities.expensesCovered}) > 0)::int as payment,
            count(*) filter (where jsonb_array_length(${opportunities.support}) > 0
              or coalesce(${opportunities.accessibleFormats}, '') <> '')::int as access
          from ${opportunities}
          where ${opportunities.publishedAt} is not null
            and ${londonDay(opportunities.publishedAt)} between ${days.from} and ${days.to}`),
      );
      return { published: num(row?.published) ?? 0, statedPayment: num(row?.payment) ?? 0, statedAccess: num(row?.access) ?? 0 };
    },

    // The equality monitoring answers of everyone who sent an application in the period, and of
    // those selected, as the profile's summary gives them (null for a group smaller than 5).
    async applicantDiversity(days: Days) {
      const rows = await db
        .select({ userId: applications.userId, selection: applications.selection })
        .from(applications)
        .where(
          sql`${applications.state} <> 'draft' and ${applications.submittedAt} is not null
            and ${londonDay(applications.submittedAt)} between ${days.from} and ${days.to}`,
        );
      const applicantIds = [...new Set(rows.map((r) => r.userId))];
      const selectedIds = [...new Set(rows.filter((r) => r.selection === 'selected').map((r) => r.userId))];
      const [applicants, selected] = await Promise.all([
        ctx.services.profile.diversitySummary(applicantIds),
        ctx.services.profile.diversitySummary(selectedIds),
      ]);
      return { applicantCount: applicantIds.length, selectedCount: selectedIds.length, applicants, selected };
    },

    // Applicants to opportunities whose selection finished in the period: how many were told
    // their outcome, and the median days from the closing date to being told.
    async outcomeTold(days: Days): Promise<{ applicants: number; told: number; medianDays: number | null }> {
      const closed = sql`coalesce(${opportunities.closesAt}, ${opportunities.closedAt})`;
      const [row] = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select count(*)::int as applicants,
            count(${applications.outcomeSentAt})::int as told,
            percentile_cont(0.5) within group (order by (${londonDay(applications.outcomeSentAt)} - ${londonDay(closed)}))
              filter (where ${applications.outcomeSentAt} is not null and ${closed} is not null) as median
          from ${applications}
          join ${opportunities} on ${opportunities.id} = ${applications.opportunityId}
          where ${applications.state} = 'submitted' and ${opportunities.selectionDoneAt} is not null
            and ${londonDay(opportunities.selectionDoneAt)} between ${days.from} and ${days.to}`),
      );
      return { applicants: num(row?.applicants) ?? 0, told: num(row?.told) ?? 0, medianDays: num(row?.median) };
    },
  };
}
export type OpportunityEvidence = ReturnType<typeof createOpportunityEvidence>;
