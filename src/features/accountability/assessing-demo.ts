import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { assessmentContributorViews, assessmentParticipants, assessmentRounds, standards, type Rating } from './tables.ts';

// Demo co-assessment (runs after the standards demo, which makes the rounds): three of the profile
// feature's demo contributors gave their view on the completed 4Pi round; on the open round against
// the UK Standards one has sent theirs, one has saved a draft and one has not started. Our own words.
// Run twice, it adds nothing.

const email = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
const DAY = 86_400_000;

type DemoView = { match: string; rating: Rating | null; comment: string | null };

// Views by a word in the standard's name, so the demo fits whatever order the frameworks list them.
const views2025: Record<string, DemoView[]> = {
  'Margaret Okafor': [
    {
      match: 'principles',
      rating: 'established',
      comment: 'Staff listen and treat us as equals in the panel. It did not feel like that three years ago.',
    },
    { match: 'presence', rating: 'developing', comment: 'The same few faces are in every group. Younger people and men are hard to find.' },
    {
      match: 'impact',
      rating: 'developing',
      comment: 'We are told what changed after the clinic work, but months later and only if we ask.',
    },
  ],
  'Tom Pritchard': [
    { match: 'purpose', rating: 'established', comment: 'Every invitation now says why we are asked and what is already decided.' },
    { match: 'process', rating: 'not-yet', comment: 'Payment took seven weeks for one meeting. People on benefits cannot wait that long.' },
    { match: 'impact', rating: null, comment: 'I have not been involved long enough to say.' },
  ],
  'Kwame Mensah': [
    { match: 'presence', rating: 'not-yet', comment: 'Meetings are in the daytime in town. Shift workers and carers cannot come.' },
    {
      match: 'process',
      rating: 'developing',
      comment: 'The easy read papers were good. They came two days before the meeting, which was too late.',
    },
  ],
};

const views2026: Record<string, DemoView[]> = {
  'Margaret Okafor': [
    {
      match: 'inclusive',
      rating: 'developing',
      comment: 'Adverts now say what you are paid. Most still ask for a written application only.',
    },
    { match: 'working', rating: 'established', comment: 'The co-chair of the panel is one of us, and it shows in how the agenda is set.' },
    {
      match: 'support',
      rating: 'established',
      comment: 'The pre-meeting with the named contact made my first meeting much less daunting.',
    },
  ],
  'Tom Pritchard': [
    { match: 'communications', rating: 'developing', comment: 'Tell people who were not selected why. A short sentence would do.' },
  ],
};

async function accountIds(ctx: SeedContext, names: string[]) {
  const ids = new Map<string, string>();
  for (const n of names) {
    const account = await ctx.services.identity.findAccountByEmail(email(n), ctx.db);
    if (account) ids.set(n, account.id);
  }
  return ids;
}

async function seedRound(
  db: Db | Tx,
  slug: string,
  people: Map<string, string>,
  views: Record<string, DemoView[]>,
  sent: Set<string>,
  invitedDaysAgo: number,
) {
  const [round] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, slug));
  if (!round) return;
  const already = await db
    .select({ id: assessmentParticipants.id })
    .from(assessmentParticipants)
    .where(eq(assessmentParticipants.roundId, round.id))
    .limit(1);
  if (already.length) return;
  const list = await db.select().from(standards).where(eq(standards.frameworkId, round.frameworkId)).orderBy(asc(standards.position));
  const now = Date.now();
  for (const [name, userId] of people) {
    const invitedAt = new Date(now - invitedDaysAgo * DAY);
    await db.insert(assessmentParticipants).values({
      roundId: round.id,
      userId,
      language: name === 'Tom Pritchard' ? 'cy' : 'en',
      invitedAt,
      submittedAt: sent.has(name) ? new Date(invitedAt.getTime() + 9 * DAY) : null,
    });
    const rows = (views[name] ?? []).flatMap((v) => {
      const standard = list.find((s) => s.name.toLowerCase().includes(v.match));
      return standard ? [{ roundId: round.id, standardId: standard.id, userId, rating: v.rating, comment: v.comment }] : [];
    });
    if (rows.length) await db.insert(assessmentContributorViews).values(rows).onConflictDoNothing();
  }
  if (round.state === 'open' && !round.contributorsCloseOn)
    await db
      .update(assessmentRounds)
      .set({ contributorsCloseOn: todayInLondon(new Date(now + 21 * DAY)) })
      .where(eq(assessmentRounds.id, round.id));
}

export async function seedDemoAssessing(ctx: SeedContext): Promise<void> {
  const names = ['Margaret Okafor', 'Tom Pritchard', 'Kwame Mensah'];
  const people = await accountIds(ctx, names);
  if (people.size < names.length) return;
  await seedRound(ctx.db, '2025-annual-review', people, views2025, new Set(names), 400);
  // Tom has saved a draft and Kwame has not started: their views are not counted until sent.
  await seedRound(ctx.db, '2026-annual-review', people, views2026, new Set(['Margaret Okafor']), 10);
}
