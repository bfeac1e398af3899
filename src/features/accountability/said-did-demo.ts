import { count, inArray } from 'drizzle-orm';
import { todayInLondon } from '#src/lib/date-field.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import type { MeetingSaidDidDraft } from '#src/features/groups/meetings-said-did.ts';
import type { ReviewSaidDidDraft } from '#src/features/reviews/responses-said-did.ts';
import { commitments, saidDidEntries } from './tables.ts';

const day = 86_400_000;
const daysAgo = (n: number) => todayInLondon(new Date(Date.now() - n * day));
const DEMO_STORY_PATH = '/stories/working-with-people-not-for-them';

type Entry = Omit<typeof saidDidEntries.$inferInsert, 'youSaidHtml' | 'weDidHtml' | 'publishedAt'>;
const withHtml = (e: Entry, cy: { title: string; youSaid: string; weDid: string }) => ({
  ...e,
  youSaidHtml: renderMarkdown(e.youSaidMarkdown),
  weDidHtml: renderMarkdown(e.weDidMarkdown),
  translations: {
    cy: {
      title: cy.title,
      youSaidMarkdown: cy.youSaid,
      youSaidHtml: renderMarkdown(cy.youSaid),
      weDidMarkdown: cy.weDid,
      weDidHtml: renderMarkdown(cy.weDid),
    },
  },
  publishedAt: new Date(),
});

// The demo group's autumn meeting, whose minutes asked for the date first on appointment letters.
function meetingEntry(meeting: MeetingSaidDidDraft) {
  return withHtml(
    {
      slug: 'appointment-letters-put-the-date-first',
      title: 'Appointment letters that put the date first',
      youSaidMarkdown:
        'At the autumn meeting the Lived Experience Group told us the new letters were clearer, but that the **date and place should come first** and the phone number should be in large type.',
      weDidMarkdown:
        'The communications team moved the date and place to the top of every appointment letter and set the phone number in large type. The group checked the new letter before it went out.',
      source: 'meeting',
      sourceId: meeting.id,
      sourceTitle: meeting.title,
      sourcePath: meeting.path,
      groupId: meeting.groupId,
      groupName: meeting.groupName,
      theme: 'Appointments',
      happenedOn: daysAgo(7),
      creditedNames: 'Margaret Okafor and Dafydd Jones',
    },
    {
      title: 'Llythyrau apwyntiad sy’n rhoi’r dyddiad yn gyntaf',
      youSaid: 'Dywedodd y Grŵp Profiad Bywyd wrthym y dylai’r **dyddiad a’r lle ddod yn gyntaf** ar y llythyrau newydd.',
      weDid: 'Symudodd y tîm cyfathrebu y dyddiad a’r lle i frig pob llythyr apwyntiad, a rhoi’r rhif ffôn mewn print mawr.',
    },
  );
}

// The house style guide review, whose summary is published.
function reviewEntry(review: ReviewSaidDidDraft, commitmentId: number | null) {
  return withHtml(
    {
      slug: 'a-house-style-that-talks-about-people-not-cases',
      title: 'A house style that talks about people, not cases',
      youSaidMarkdown: `Reviewers read our draft house style guide and left ${review.commentCount} comments. They asked us to stop calling people "cases" and "service users", and to explain every abbreviation.`,
      weDidMarkdown:
        'We changed the guide as they suggested, and every new leaflet and letter now follows it. The summary of the review says what happened to each comment.',
      source: 'review',
      sourceId: review.id,
      sourceTitle: review.title,
      sourcePath: review.path,
      groupId: null,
      groupName: null,
      theme: 'Accessible information',
      commitmentId,
      happenedOn: todayInLondon(review.publishedAt),
    },
    {
      title: 'Arddull tŷ sy’n sôn am bobl, nid achosion',
      youSaid: 'Gofynnodd yr adolygwyr i ni roi’r gorau i alw pobl yn "achosion" ac esbonio pob talfyriad.',
      weDid: 'Fe wnaethon ni newid y canllaw fel yr awgrymwyd, ac mae pob taflen a llythyr newydd yn ei ddilyn erbyn hyn.',
    },
  );
}

// Comments on the demo story about being paid late.
function storyEntry(commitmentId: number | null) {
  return withHtml(
    {
      slug: 'paying-people-sooner',
      title: 'Paying people sooner for their time',
      youSaidMarkdown:
        'In comments on our story "Working with people, not for them", several people said that waiting weeks to be paid for their time made it hard to take part.',
      weDidMarkdown:
        'We changed how claims are approved so that staff check them each week, and we promised to pay within 15 working days. We report how we are doing on the commitment’s page.',
      source: 'story-comments',
      sourceTitle: 'Working with people, not for them',
      sourcePath: DEMO_STORY_PATH,
      theme: 'Payment',
      commitmentId,
      happenedOn: daysAgo(3),
    },
    {
      title: 'Talu pobl yn gynt am eu hamser',
      youSaid: 'Mewn sylwadau ar ein stori, dywedodd sawl person fod aros wythnosau i gael eu talu yn ei gwneud yn anodd cymryd rhan.',
      weDid: 'Fe wnaethon ni newid sut mae hawliadau’n cael eu cymeradwyo, ac addo talu o fewn 15 diwrnod gwaith.',
    },
  );
}

// Three published "you said, we did" entries in our own words: from the demo group's meeting, from
// the demo review's published summary and from comments on the demo story, one of them linked to a
// demo commitment. Runs after the groups, reviews and commitments demos (everything is read in the
// seed's transaction); does nothing when there are entries already.
export async function seedDemoSaidDid({ db, services }: SeedContext): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(saidDidEntries);
  if (existing && existing.n > 0) return;

  const promised = await db
    .select({ id: commitments.id, slug: commitments.slug })
    .from(commitments)
    .where(inArray(commitments.slug, ['pay-contributors-within-15-working-days', 'publish-our-involvement-strategy']));
  const commitmentId = (slug: string) => promised.find((c) => c.slug === slug)?.id ?? promised[0]?.id ?? null;

  const meetingRow = (await services.meetings.withPublishedMinutes(db)).find((m) => m.groupSlug === 'lived-experience-group');
  const meeting = meetingRow ? await services.meetings.saidDidDraft(meetingRow.id, db) : null;
  const [reviewRow] = await services.reviewResponses.publishedSummaryIds(db);
  const review = reviewRow ? await services.reviewResponses.saidDidDraft(reviewRow.id, db) : null;

  const rows = [
    ...(meeting ? [meetingEntry(meeting)] : []),
    ...(review ? [reviewEntry(review, commitmentId('publish-our-involvement-strategy'))] : []),
    storyEntry(commitmentId('pay-contributors-within-15-working-days')),
  ];
  await db.insert(saidDidEntries).values(rows);
}
