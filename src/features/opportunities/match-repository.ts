import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import {
  applications,
  opportunities,
  opportunityAlerts,
  opportunityContactOptouts,
  opportunityEmailChoices,
  opportunityInvitations,
} from './tables.ts';

export type EmailChoiceRow = typeof opportunityEmailChoices.$inferSelect;
type Choice = EmailChoiceRow['choice'];
type Via = EmailChoiceRow['via'];

// Queries for matching people and opportunities: a person's choices about opportunity emails
// (alerts, invitations) and their history, the daily alerts' batches, and invitations.
export function createMatchRepository(db: Db) {
  return {
    async choices(userId: string, runner: Db | Tx = db) {
      const [[alert], [optout]] = await Promise.all([
        runner.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, userId)),
        runner.select().from(opportunityContactOptouts).where(eq(opportunityContactOptouts.userId, userId)),
      ]);
      return { alerts: !!alert, invitations: !optout };
    },

    // Alerts on from now: only opportunities published after this moment are sent.
    async setAlerts(userId: string, on: boolean, now: Date, tx: Db | Tx) {
      if (on) await tx.insert(opportunityAlerts).values({ userId, lastSentAt: now }).onConflictDoNothing();
      else await tx.delete(opportunityAlerts).where(eq(opportunityAlerts.userId, userId));
    },

    async setInvitations(userId: string, on: boolean, now: Date, tx: Db | Tx) {
      if (on) await tx.delete(opportunityContactOptouts).where(eq(opportunityContactOptouts.userId, userId));
      else await tx.insert(opportunityContactOptouts).values({ userId, at: now }).onConflictDoNothing();
    },

    async recordChoice(userId: string, choice: Choice, turnedOn: boolean, via: Via, at: Date, tx: Db | Tx) {
      await tx.insert(opportunityEmailChoices).values({ userId, choice, turnedOn, via, at });
    },

    history: (userId: string) =>
      db
        .select()
        .from(opportunityEmailChoices)
        .where(eq(opportunityEmailChoices.userId, userId))
        .orderBy(desc(opportunityEmailChoices.at), desc(opportunityEmailChoices.id)),

    // The next batch of people whose alert is due (not considered since `due`), in id order after
    // `after`, so a run walks the subscribers in pages however many there are.
    alertsDue: (due: Date, after: string | null, limit: number) =>
      db
        .select()
        .from(opportunityAlerts)
        .where(and(lt(opportunityAlerts.lastSentAt, due), after ? gt(opportunityAlerts.userId, after) : undefined))
        .orderBy(asc(opportunityAlerts.userId))
        .limit(limit),

    // Open opportunities published after `since` (the earliest of a batch) and by `now`.
    publishedSince: (since: Date, now: Date) =>
      db
        .select()
        .from(opportunities)
        .where(
          and(
            eq(opportunities.status, 'open'),
            gt(opportunities.publishedAt, since),
            sql`${opportunities.publishedAt} <= ${now}`,
            or(isNull(opportunities.closesAt), gt(opportunities.closesAt, now)),
          ),
        ),

    // Only rows still due move, so a second instance running the same batch sends nothing twice.
    async markConsidered(userIds: string[], due: Date, now: Date, tx: Db | Tx) {
      if (!userIds.length) return;
      await tx
        .update(opportunityAlerts)
        .set({ lastSentAt: now })
        .where(and(inArray(opportunityAlerts.userId, userIds), lt(opportunityAlerts.lastSentAt, due)));
    },

    // Every person opted out of invitations (left out of suggestions), as ids.
    async optedOut(): Promise<string[]> {
      return (await db.select({ id: opportunityContactOptouts.userId }).from(opportunityContactOptouts)).map((r) => r.id);
    },

    // Which of these opportunities each of these people has already applied to (or started to):
    // "user id opportunity id" pairs, so an alert never suggests what someone has acted on.
    async appliedAmong(userIds: string[], opportunityIds: number[]): Promise<Set<string>> {
      if (!userIds.length || !opportunityIds.length) return new Set();
      const rows = await db
        .select({ userId: applications.userId, opportunityId: applications.opportunityId })
        .from(applications)
        .where(and(inArray(applications.userId, userIds), inArray(applications.opportunityId, opportunityIds)));
      return new Set(rows.map((r) => `${r.userId} ${r.opportunityId}`));
    },

    // People who applied to (or started applying to) or were invited to an opportunity.
    async appliedOrInvited(opportunityId: number): Promise<string[]> {
      const [applied, invited] = await Promise.all([
        db.select({ id: applications.userId }).from(applications).where(eq(applications.opportunityId, opportunityId)),
        db
          .select({ id: opportunityInvitations.userId })
          .from(opportunityInvitations)
          .where(eq(opportunityInvitations.opportunityId, opportunityId)),
      ]);
      return [...new Set([...applied, ...invited].map((r) => r.id))];
    },

    // Inserts the invitations not already made; returns the people newly invited.
    async invite(opportunityId: number, userIds: string[], invitedBy: string, now: Date, tx: Db | Tx): Promise<string[]> {
      if (!userIds.length) return [];
      const rows = await tx
        .insert(opportunityInvitations)
        .values(userIds.map((userId) => ({ opportunityId, userId, invitedBy, createdAt: now })))
        .onConflictDoNothing()
        .returning({ userId: opportunityInvitations.userId });
      return rows.map((r) => r.userId);
    },

    // A person's invitations, newest first, with whether they have applied since.
    invitationsOf: (userId: string) =>
      db
        .select({
          opportunity: opportunities,
          invitedAt: opportunityInvitations.createdAt,
          applied: sql<boolean>`exists (select 1 from ${applications} where ${applications.opportunityId} = ${opportunityInvitations.opportunityId} and ${applications.userId} = ${userId})`,
        })
        .from(opportunityInvitations)
        .innerJoin(opportunities, eq(opportunities.id, opportunityInvitations.opportunityId))
        .where(eq(opportunityInvitations.userId, userId))
        .orderBy(desc(opportunityInvitations.createdAt)),
  };
}
export type MatchRepository = ReturnType<typeof createMatchRepository>;
