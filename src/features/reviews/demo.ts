import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { reviewAnswers, reviewComments, reviewQuestions, reviewResponses, reviewReviewers, reviews, reviewSections } from './tables.ts';

// Demo content for a newcomer: a draft research report under review (three reviewers: two have
// sent their reviews, one is still reading; some comments already answered), and the house style
// guide's review, closed, answered point by point, with its "you said, we did" summary published.
// The people are the profile feature's demo contributors. Run twice, it adds nothing.

const day = 86_400_000;
const email = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
const londonDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);

type Section = { heading: string; body: string };
type Said = { reviewer: string; section: number; body: string; outcome?: (typeof reviewResponses.$inferInsert)['outcome']; why?: string };

const report: Section[] = [
  {
    heading: 'Summary',
    body: 'We asked 214 people how long they waited for the results of blood tests and scans, and what the wait was like. Most waited longer than they were told to expect. What made the wait hardest was not its length but **not knowing** whether no news was good news.',
  },
  {
    heading: 'What people told us',
    body: '- Six in ten were not told how long results would take.\n- People who were given a date and a way to ask were far less worried, even when the wait was long.\n- Several people found their results in the patient app before anyone had explained them.',
  },
  {
    heading: 'What we recommend',
    body: '1. Every person having a test is told when to expect the result and whom to call if it has not come.\n2. Results that need explaining are not released to the app until someone has spoken to the person.\n3. Clinics publish their usual waiting times.',
  },
];

const styleGuide: Section[] = [
  {
    heading: 'Writing about people',
    body: 'Say "people with diabetes", not "diabetics". Use the words people use about themselves, and ask when you are not sure.',
  },
  { heading: 'Plain English', body: 'Use short sentences and everyday words. Explain any medical term the first time you use it.' },
  { heading: 'Numbers and dates', body: 'Write "6 April 2026", not "06/04/26". Use numerals for numbers over nine.' },
];

const reportSaid: Said[] = [
  {
    reviewer: 'Margaret Okafor',
    section: 0,
    body: 'The summary is clear, but please say early on that the 214 people include carers. I answered as a carer.',
    outcome: 'changed',
    why: 'The summary now says that 214 patients and carers took part.',
  },
  {
    reviewer: 'Margaret Okafor',
    section: 2,
    body: 'Recommendation 2 matters most. Finding a result in the app at midnight, with nobody to ask, was the worst part for my son.',
    outcome: 'changed-differently',
    why: 'We have kept the recommendation and added that the app should say when someone will call.',
  },
  {
    reviewer: 'Tom Pritchard',
    section: 1,
    body: 'Could you say how many people were told a date and still waited longer? That is what happened to my dad.',
  },
];

const guideSaid: Said[] = [
  {
    reviewer: 'Eileen Doherty',
    section: 0,
    body: 'Please add "people living with Long COVID". Many of us dislike "Long COVID sufferers".',
    outcome: 'changed',
    why: 'Added to the list of words to use, with "sufferers" in the list of words to avoid.',
  },
  {
    reviewer: 'Dafydd Jones',
    section: 2,
    body: 'Welsh readers see dates in Welsh too: the guide should say how to write them in Welsh.',
    outcome: 'out-of-scope',
    why: 'The Welsh language guide covers this; we have linked to it from this section.',
  },
  {
    reviewer: 'Eileen Doherty',
    section: 1,
    body: 'Short sentences help me a lot on bad fatigue days. Could the guide set a length, say 20 words?',
    outcome: 'changed',
    why: 'The guide now says to aim for sentences under 20 words.',
  },
];

async function addReview(db: Db | Tx, values: typeof reviews.$inferInsert, sections: Section[]) {
  const [review] = await db.insert(reviews).values(values).returning();
  const saved = await db
    .insert(reviewSections)
    .values(
      sections.map((s, i) => ({
        reviewId: review!.id,
        position: i + 1,
        heading: s.heading,
        bodyMarkdown: s.body,
        bodyHtml: renderMarkdown(s.body),
      })),
    )
    .returning();
  const questions = await db
    .insert(reviewQuestions)
    .values([
      {
        reviewId: review!.id,
        position: 1,
        kind: 'rating' as const,
        label: 'How easy was it to read?',
        options: ['Very hard', 'Hard', 'Neither easy nor hard', 'Easy', 'Very easy'],
        required: true,
      },
      { reviewId: review!.id, position: 2, kind: 'long-text' as const, label: 'What is missing?', options: [] },
    ])
    .returning();
  return { review: review!, sections: saved.sort((a, b) => a.position - b.position), questions };
}

async function addReviewer(db: Db | Tx, reviewId: number, userId: string, state: (typeof reviewReviewers.$inferInsert)['state'], at: Date) {
  const [row] = await db
    .insert(reviewReviewers)
    .values({
      reviewId,
      userId,
      state,
      tokenHash: createHash('sha256').update(randomBytes(32)).digest('base64url'),
      invitedAt: new Date(at.getTime() - 10 * day),
      respondedAt: new Date(at.getTime() - 9 * day),
      submittedAt: state === 'submitted' ? at : null,
      lastSavedAt: state === 'accepted' ? new Date(Date.now() - day) : at,
      minutesSpent: state === 'submitted' ? 90 : null,
    })
    .returning();
  return row!;
}

type Made = Awaited<ReturnType<typeof addReview>>;

async function seedComments(db: Db | Tx, made: Made, reviewers: Map<string, number>, said: Said[], lead: string | null, at: Date) {
  for (const s of said) {
    const [comment] = await db
      .insert(reviewComments)
      .values({
        reviewId: made.review.id,
        sectionId: made.sections[s.section]!.id,
        reviewerId: reviewers.get(s.reviewer)!,
        body: s.body,
        createdAt: at,
      })
      .returning();
    if (s.outcome)
      await db.insert(reviewResponses).values({ commentId: comment!.id, outcome: s.outcome, reason: s.why!, respondedBy: lead });
  }
  for (const [i, reviewerId] of [...new Set(said.map((s) => reviewers.get(s.reviewer)!))].entries())
    await db.insert(reviewAnswers).values([
      { reviewerId, questionId: made.questions[0]!.id, values: [String(4 - (i % 2))] },
      { reviewerId, questionId: made.questions[1]!.id, text: 'What happens when a result is lost: who notices?' },
    ]);
}

// The involvement records of a review's submitted reviewers, as submitting makes them.
async function recordReviews({ db, services }: SeedContext, made: Made, people: [string, Date][], lead: string | null) {
  await services.involvementRecords.syncSource(
    {
      source: 'review',
      sourceId: made.review.id,
      title: made.review.title,
      path: `/profile/reviews/${made.review.id}`,
      activityKind: made.review.activityKind,
      groupId: null,
      groupName: null,
      leadUserId: lead,
      recordedBy: null,
      people: people.map(([userId, at]) => ({ userId, occurredOn: londonDate(at), minutes: 90, role: 'reviewer' })),
    },
    db,
  );
}

const reportBrief =
  'Tell us whether the report says what people told us, in words they would use, and what is **missing**. It is not published yet: please do not share it.';
const guideBrief = 'Our style guide tells staff how to write for the public. Tell us where it gets the words wrong.';
const guideSummary =
  'You told us the guide used words people dislike about themselves, and that long sentences are hard on a bad day. The guide now lists the words to use and to avoid, and asks for sentences under 20 words.';

type Cast = { ids: Map<string, string>; lead: string | null };

// Open, three reviewers: two sent ten days after it opened, one still reading.
async function seedDraftReport(ctx: SeedContext, { ids, lead }: Cast) {
  const { db } = ctx;
  const now = Date.now();
  const draft = await addReview(
    db,
    {
      title: 'Waiting for test results: what patients told us (draft report)',
      kind: 'research-report',
      briefMarkdown: reportBrief,
      briefHtml: renderMarkdown(reportBrief),
      source: 'markdown',
      deadline: new Date(now + 10 * day),
      state: 'open',
      activityKind: 'review',
      estimatedMinutes: 120,
      leadUserId: lead,
      createdBy: lead,
      openedAt: new Date(now - 10 * day),
    },
    report,
  );
  const reviewers = new Map<string, number>();
  const sent = new Date(now - 3 * day);
  for (const [n, state] of [
    ['Margaret Okafor', 'submitted'],
    ['Tom Pritchard', 'submitted'],
    ['Priya Raman', 'accepted'],
  ] as const)
    reviewers.set(n, (await addReviewer(db, draft.review.id, ids.get(n)!, state, sent)).id);
  await seedComments(db, draft, reviewers, reportSaid, lead, sent);
  await recordReviews(
    ctx,
    draft,
    [
      [ids.get('Margaret Okafor')!, sent],
      [ids.get('Tom Pritchard')!, sent],
    ],
    lead,
  );
}

// Closed a month ago, every comment answered, the summary published (Eileen agreed to be named).
async function seedStyleGuide(ctx: SeedContext, { ids, lead }: Cast) {
  const { db } = ctx;
  const now = Date.now();
  const guide = await addReview(
    db,
    {
      title: 'Our house style guide: how we write about people',
      kind: 'house-style',
      briefMarkdown: guideBrief,
      briefHtml: renderMarkdown(guideBrief),
      source: 'markdown',
      deadline: new Date(now - 30 * day),
      state: 'closed',
      activityKind: 'review',
      estimatedMinutes: 60,
      leadUserId: lead,
      createdBy: lead,
      openedAt: new Date(now - 60 * day),
      closedAt: new Date(now - 28 * day),
      summaryMarkdown: guideSummary,
      summaryHtml: renderMarkdown(guideSummary),
      summaryPublishedAt: new Date(now - 20 * day),
    },
    styleGuide,
  );
  const reviewers = new Map<string, number>();
  const done = new Date(now - 35 * day);
  for (const n of ['Eileen Doherty', 'Dafydd Jones']) {
    const row = await addReviewer(db, guide.review.id, ids.get(n)!, 'submitted', done);
    await db
      .update(reviewReviewers)
      .set({ nameInSummary: n === 'Eileen Doherty', responseSentAt: new Date(now - 21 * day) })
      .where(eq(reviewReviewers.id, row.id));
    reviewers.set(n, row.id);
  }
  await seedComments(db, guide, reviewers, guideSaid, lead, done);
  await recordReviews(
    ctx,
    guide,
    [
      [ids.get('Eileen Doherty')!, done],
      [ids.get('Dafydd Jones')!, done],
    ],
    lead,
  );
}

export async function seedDemoReviews(ctx: SeedContext) {
  const { db, services } = ctx;
  if ((await db.select({ id: reviews.id }).from(reviews).limit(1)).length) return;
  const ids = new Map<string, string>();
  for (const n of ['Margaret Okafor', 'Tom Pritchard', 'Priya Raman', 'Eileen Doherty', 'Dafydd Jones', 'Priya Natarajan']) {
    const account = await services.identity.findAccountByEmail(email(n), db);
    if (account) ids.set(n, account.id);
  }
  if (!['Margaret Okafor', 'Tom Pritchard', 'Priya Raman', 'Eileen Doherty', 'Dafydd Jones'].every((n) => ids.has(n))) return;
  const cast = { ids, lead: ids.get('Priya Natarajan') ?? null };
  await seedDraftReport(ctx, cast);
  await seedStyleGuide(ctx, cast);
}
