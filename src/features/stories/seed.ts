import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { stories } from './tables.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { createStoriesRepository } from './repository.ts';
import { parseTags, type StoryStatus } from './schema.ts';
import { withRenderedBodies } from './translations.ts';

// Demo stories for a new site. All text is our own; the organisation and people are invented.
// The comments feature looks the long story up by this slug to add its demo comments.
export const DEMO_STORY_SLUG = 'working-with-people-not-for-them';

type DemoStory = {
  slug: string;
  title: string;
  summary: string;
  body: string;
  authorName: string;
  authorJobTitle: string | null;
  tags: string;
  publishedAt: string;
  status: StoryStatus;
  // A version in Welsh. The demo keeps other stories in English only, so the fallback (English
  // marked as such, with a note) shows on Welsh pages too.
  welsh?: { title: string; summary: string; body: string };
};

const longStory = readFileSync(new URL('./demo-long-story.md', import.meta.url), 'utf8');
const longStoryWelsh = readFileSync(new URL('./demo-long-story.cy.md', import.meta.url), 'utf8');

export const demoStories: DemoStory[] = [
  {
    slug: DEMO_STORY_SLUG,
    title: 'Working with people, not for them',
    summary:
      'For years we asked patients and the public what they thought when our work was almost finished. This is what that cost us, what we have changed, and what we promise to do next.',
    body: longStory,
    welsh: {
      title: 'Gweithio gyda phobl, nid ar eu rhan',
      summary:
        "Am flynyddoedd, gofynnon ni i gleifion a'r cyhoedd beth oedden nhw'n ei feddwl pan oedd ein gwaith bron ar ben. Dyma beth gostiodd hynny i ni, beth rydyn ni wedi'i newid, a beth rydyn ni'n addo ei wneud nesaf.",
      body: longStoryWelsh,
    },
    authorName: 'Dr Amara Okafor',
    authorJobTitle: 'Director of Public Involvement',
    tags: 'Patient and public involvement, Coproduction',
    publishedAt: '2026-10-27T09:00:00Z',
    status: 'published',
  },
  {
    slug: 'meet-the-co-chairs-of-our-lived-experience-group',
    title: 'Meet the co-chairs of our lived-experience group',
    summary:
      'Our lived-experience group has elected two co-chairs. They tell us why they stood, and what they want the group to change in its first year.',
    body: [
      'Our lived-experience group has elected its first two co-chairs: Janet Pryce, who cared for her husband through ten years of Parkinson’s, and Tomasz Nowak, who has used mental health services since he was a teenager.',
      '## Why they stood',
      '"I have sat in a lot of meetings where patients were the last item on the agenda," says Janet. "I wanted to be in the room when the agenda is written."',
      'Tomasz puts it more simply. "If the group is going to have real power, somebody has to make sure it uses it."',
      '## What happens next',
      'The co-chairs will set the agenda for the group’s monthly meetings, sit on our senior leadership team for any item about involvement, and report back to the group after every meeting. They are paid for this time at our published rate.',
      'Their first job is to agree with the group how it will spend its own budget this year. Early ideas include training in reading research papers, and paying a user-led organisation to help the group reach people we do not hear from.',
    ].join('\n\n'),
    authorName: 'Priya Shah',
    authorJobTitle: 'Involvement Coordinator',
    tags: 'Lived experience, News',
    publishedAt: '2026-10-13T09:00:00Z',
    status: 'published',
  },
  {
    slug: 'the-first-night-home',
    title: 'The first night home: what families told us about leaving hospital',
    summary:
      'We asked 40 families what made the first night at home after a hospital stay safe, or unsafe. Their answers shaped every recommendation in our new report.',
    body: [
      'Leaving hospital should be good news. For many of the 40 families we spoke to, the first night at home was the most frightening part of the whole stay.',
      'People described being told they could go home at four in the afternoon, arriving to a cold house with no food, and finding that nobody had told their carer. Several said they went back into hospital within a week.',
      '## What families asked for',
      '* A discharge time agreed the day before, not on the day',
      '* One named person to call during the first 48 hours',
      '* A simple check, before anyone leaves the ward, that there is heating, food and someone at home',
      'These three asks became the heart of our recommendations. Two of them were written by members of our lived-experience group, who helped design the interviews and made sense of what families told us.',
      'Does this match your experience of leaving hospital, or of bringing someone home? Tell us in the comments.',
    ].join('\n\n'),
    authorName: 'Dr Ben Adeyemi',
    authorJobTitle: 'Senior Researcher',
    tags: 'Hospital discharge, Research',
    publishedAt: '2026-09-29T09:00:00Z',
    status: 'published',
  },
  {
    slug: 'paying-people-fairly-for-their-time',
    title: 'Paying people fairly for their time',
    summary: 'Our updated rates for involvement work, and the changes the lived-experience group asked us to make to how we pay.',
    body: 'Draft: rates table and what changed, to be agreed with the lived-experience group before publishing.',
    authorName: 'Priya Shah',
    authorJobTitle: 'Involvement Coordinator',
    tags: 'Payments',
    publishedAt: '2026-12-01T09:00:00Z',
    status: 'draft',
  },
];

// Published demo stories are never dated in the future, even on a machine whose clock is behind.
const notAfterNow = (iso: string) => new Date(Math.min(Date.parse(iso), Date.now()));

export async function seedStories(db: Db | Tx): Promise<void> {
  const repo = createStoriesRepository(db);
  for (const s of demoStories) {
    const id = await repo.insertStory({
      slug: s.slug,
      title: s.title,
      summary: s.summary,
      bodyMarkdown: s.body,
      bodyHtml: renderMarkdown(s.body),
      authorName: s.authorName,
      authorJobTitle: s.authorJobTitle,
      status: s.status,
      publishedAt: s.status === 'published' ? notAfterNow(s.publishedAt) : new Date(s.publishedAt),
      commentsOpen: true,
      translations: s.welsh
        ? withRenderedBodies({ cy: { title: s.welsh.title, summary: s.welsh.summary, bodyMarkdown: s.welsh.body } })
        : {},
    });
    await repo.setStoryTags(id, parseTags(s.tags));
  }
}

// The demo story's id, for other features' demo content (through the stories service; seeds run in
// one transaction).
export async function demoStoryId(db: Db | Tx): Promise<number | null> {
  const [story] = await db.select({ id: stories.id }).from(stories).where(eq(stories.slug, DEMO_STORY_SLUG));
  return story?.id ?? null;
}
