import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { opportunities, opportunityQuestions } from './tables.ts';

type DemoOpportunity = Omit<typeof opportunities.$inferInsert, 'roleHtml' | 'involvedHtml' | 'lookingForHtml'>;
type DemoQuestion = Pick<typeof opportunityQuestions.$inferInsert, 'kind' | 'label' | 'hint' | 'options' | 'required'>;

const days = (n: number, at = new Date()) => new Date(at.getTime() + n * 24 * 3600_000);
const contact = { contactName: 'Priya Natarajan', contactEmail: 'involvement@example.org' };

type Demo = { row: DemoOpportunity; questions: DemoQuestion[] };

const reportReview = (now: Date): Demo => ({
  row: {
    slug: 'review-our-report-on-waiting-for-planned-surgery',
    type: 'peer-review',
    status: 'open',
    title: 'Review our report on waiting for planned surgery',
    summary: 'Read a draft report about people waiting for hip and knee operations and tell us what is unclear, missing or wrong.',
    roleMarkdown:
      'We have written a report about what it is like to wait a long time for a planned operation. Before we publish it, we want people who have waited to read it and tell us whether it rings true.',
    involvedMarkdown:
      '- Reading a 20-page draft at home, in print or on screen\n- Writing or telling us your comments, in any form you like\n- About three hours in total, once, over two weeks',
    timeCommitment: 'About 3 hours in total',
    mode: 'online',
    paid: true,
    feePence: 2500,
    feeUnit: 'hour',
    expensesCovered: ['technology'],
    support: ['named-contact', 'technology-help'],
    lookingForMarkdown: 'People who have waited, or are waiting, for a planned operation, and people who cared for them while they waited.',
    welcomeFrom: 'people who do not usually read reports like this one',
    places: 6,
    closesAt: days(14, now),
    publishedAt: days(-3, now),
    translations: {
      cy: {
        title: 'Adolygu ein hadroddiad ar aros am lawdriniaeth wedi’i chynllunio',
        summary:
          'Darllenwch adroddiad drafft am bobl sy’n aros am lawdriniaethau clun a phen-glin a dywedwch wrthym beth sy’n aneglur, ar goll neu’n anghywir.',
      },
    },
    ...contact,
  },
  questions: [
    {
      kind: 'long-text',
      label: 'Tell us briefly about your experience of waiting for an operation',
      hint: 'A few sentences is plenty.',
      options: [],
      required: true,
    },
    {
      kind: 'single-choice',
      label: 'How would you like to receive the draft?',
      hint: null,
      options: ['By email', 'Printed, by post', 'Large print, by post'],
      required: true,
    },
  ],
});

const commissionGroup = (now: Date): Demo => ({
  row: {
    slug: 'join-the-lived-experience-group-for-the-blood-donation-commission',
    type: 'lived-experience-group',
    status: 'open',
    title: 'Join the lived experience group for the commission on blood donation',
    summary: 'Help a national commission understand why some communities give blood less often, by meeting with others over six months.',
    roleMarkdown:
      'The commission is looking at who gives blood and who does not. The group will make sure its questions, meetings and recommendations start from people’s own experience.',
    involvedMarkdown:
      'Six meetings of two hours, one a month from February to July, online or at our offices. Papers arrive a week before each meeting.',
    timeCommitment: 'A 2-hour meeting once a month for six months, plus about an hour of reading before each',
    startsOn: days(60, now).toISOString().slice(0, 10),
    endsOn: days(240, now).toISOString().slice(0, 10),
    mode: 'both',
    venueAddress: 'Coproduce House, 12 Market Street, Birmingham B1 1AA',
    venueAccessibility:
      'Step-free entrance from Market Street, a hearing loop in the meeting room and a quiet room next door. New Street station is a ten-minute walk.',
    region: 'West Midlands',
    paid: true,
    feePence: 7500,
    feeUnit: 'half-day',
    expensesCovered: ['travel', 'subsistence', 'carer-costs'],
    support: ['training', 'named-contact', 'pre-meetings', 'buddy'],
    lookingForMarkdown:
      'People who have given blood, people who would like to but have not been able to, and people from communities who give less often.',
    welcomeFrom: 'people from Black African and Black Caribbean communities, and young adults',
    places: 10,
    closesAt: days(21, now),
    publishedAt: days(-1, now),
    blindScoring: true,
    ...contact,
  },
  questions: [
    { kind: 'long-text', label: 'Why would you like to join the group?', hint: null, options: [], required: true },
    { kind: 'yes-no', label: 'Can you come to most of the six meetings?', hint: null, options: [], required: true },
  ],
});

const styleGuideReview = (now: Date): Demo => ({
  row: {
    slug: 'help-us-rewrite-our-house-style-guide',
    type: 'communications-review',
    status: 'open',
    title: 'Help us rewrite our house style guide',
    summary: 'Tell us which words and phrases put people off, so that everything we write is easier to read.',
    roleMarkdown:
      'Our style guide tells staff how to write letters, leaflets and web pages. We want it to reflect how people actually talk about their health.',
    involvedMarkdown: 'One 90-minute online workshop, then comments on the new draft by email a month later.',
    timeCommitment: 'About 3 hours over two months',
    mode: 'online',
    paid: true,
    feePence: 5000,
    feeUnit: 'task',
    expensesCovered: ['technology'],
    support: ['technology-help'],
    places: 8,
    closesAt: days(10, now),
    publishedAt: days(-6, now),
    ...contact,
  },
  questions: [],
});

const closedWithSelection = (now: Date): Demo => ({
  row: {
    slug: 'speak-at-our-annual-involvement-conference',
    type: 'event',
    status: 'selection-done',
    title: 'Speak at our annual involvement conference',
    summary: 'Share your story of getting involved, in a 10-minute talk or on a panel.',
    roleMarkdown: 'Each year people who have worked with us tell staff and partners what it was like.',
    involvedMarkdown: 'One day in Birmingham, with a rehearsal call the week before.',
    timeCommitment: 'One day, plus a 1-hour rehearsal call',
    mode: 'in-person',
    venueAddress: 'Coproduce House, 12 Market Street, Birmingham B1 1AA',
    region: 'West Midlands',
    paid: true,
    feePence: 15000,
    feeUnit: 'day',
    expensesCovered: ['travel', 'subsistence', 'accommodation'],
    support: ['pre-meetings', 'named-contact'],
    places: 3,
    closesAt: days(-30, now),
    publishedAt: days(-60, now),
    closedAt: days(-30, now),
    selectionDoneAt: days(-14, now),
    ...contact,
  },
  questions: [],
});

// The involvement the demo story talks about, as adverts: three open (a peer review of a report, a
// lived experience group for a commission, the house style guide) and one whose selection is done.
// Dates are relative to the day the demo is seeded so the site always has something open.
const demoOpportunities = (now: Date): Demo[] => [reportReview(now), commissionGroup(now), styleGuideReview(now), closedWithSelection(now)];

export type SeededOpportunity = { id: number; slug: string; questions: (typeof opportunityQuestions.$inferSelect)[] };

// Run again on the same database it adds nothing: an opportunity whose slug exists is kept as it is.
export async function seedDemoOpportunities(db: Db | Tx, now = new Date()): Promise<Map<string, SeededOpportunity>> {
  const seeded = new Map<string, SeededOpportunity>();
  for (const { row, questions } of demoOpportunities(now)) {
    const [made] = await db
      .insert(opportunities)
      .values({
        ...row,
        roleHtml: renderMarkdown(row.roleMarkdown ?? ''),
        involvedHtml: renderMarkdown(row.involvedMarkdown ?? ''),
        lookingForHtml: renderMarkdown(row.lookingForMarkdown ?? ''),
      })
      .onConflictDoNothing({ target: opportunities.slug })
      .returning({ id: opportunities.id });
    if (made && questions.length)
      await db.insert(opportunityQuestions).values(questions.map((q, position) => ({ ...q, opportunityId: made.id, position })));
    const [saved] = await db.select({ id: opportunities.id }).from(opportunities).where(eq(opportunities.slug, row.slug));
    const asked = await db
      .select()
      .from(opportunityQuestions)
      .where(eq(opportunityQuestions.opportunityId, saved!.id))
      .orderBy(asc(opportunityQuestions.position));
    seeded.set(row.slug, { id: saved!.id, slug: row.slug, questions: asked });
  }
  return seeded;
}
