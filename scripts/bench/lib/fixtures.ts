import { onStory } from '#tests/helpers/factories.ts';
import type { Db } from '#src/db/client.ts';
import { stories } from '#src/features/stories/tables.ts';
import { comments } from '#src/features/comments/tables.ts';
import { settings } from '#src/platform/settings/tables.ts';
import { defaultSettings, type SiteSettings } from '#src/platform/settings/service.ts';

// Deterministic content, so every run renders the same page: a seeded PRNG picks the words.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// No quotes, apostrophes or ampersands: the bench checks every comment body appears verbatim in
// the page, which must not depend on how the template escapes them.
const sentences = [
  'The waiting room changes made a real difference to how calm my mother felt before her appointment.',
  'I would like to know how the feedback from the evening sessions will be shared with the wider team.',
  'As a carer I often find the letters hard to follow, so plain language summaries would help a lot.',
  'Our ward tried something similar last year and the biggest lesson was to involve porters early.',
  'Thank you for writing this up so clearly, it is good to see the patient voice at the centre.',
  'Could the same approach work for people who do not use the internet or a smartphone at all?',
  'The transport section rings true, the bus from the estate only runs twice an hour after six.',
  'We ran a listening event at the library and heard many of the same worries about discharge.',
  'It would help to publish the numbers behind the survey so that others can compare their results.',
  'Interpreters were booked late for two of my visits, so I am glad this is now on the agenda.',
  'Please keep the drop in sessions on Saturdays, they are the only time many working parents can come.',
  'I sat on the panel and can say the discussion was honest and at times quite challenging.',
  'Would the team consider a short video version for people who find long pages difficult to read?',
  'The section on medicines reminded me how confusing the repeat prescription process still is.',
  'Volunteers from the patient forum are happy to help test the new signs before they go up.',
];
const firstNames = [
  'Amira',
  'Ben',
  'Chloe',
  'Dev',
  'Eleanor',
  'Femi',
  'Grace',
  'Harpreet',
  'Ian',
  'Joanna',
  'Kwame',
  'Lucy',
  'Mohammed',
  'Niamh',
  'Oliver',
  'Priya',
];
const lastNames = [
  'Ahmed',
  'Brown',
  'Clarke',
  'Davies',
  'Evans',
  'Fraser',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'Murphy',
  'Nowak',
  'Owen',
  'Patel',
];
const roles = [
  ['Practice nurse', 'Riverside Health Centre'],
  ['Patient representative', 'Northgate Patient Forum'],
  ['Consultant physician', 'City General Hospital'],
  ['Carer', null],
  ['Community pharmacist', 'High Street Pharmacy'],
  ['Volunteer', 'Healthwatch Eastshire'],
] as const;

export type BenchComment = {
  index: number;
  parentIndex: number | null;
  authorName: string;
  authorJobTitle: string | null;
  authorOrganisation: string | null;
  authorEmail: string;
  body: string;
  createdAt: Date;
};

export const benchStory = {
  slug: 'listening-to-patients-about-the-new-outpatient-clinic',
  title: 'Listening to patients about the new outpatient clinic',
  summary: 'What 400 patients, carers and staff told us about the new clinic, and what we changed.',
  authorName: 'Sam Taylor',
  authorJobTitle: 'Head of Patient Experience',
  paragraphs: [
    'Over the spring we asked patients, carers and staff what they thought of the plans for the new outpatient clinic. More than 400 people took part through surveys, drop in sessions and a panel that met four times.',
    'People told us the clinic must be easy to reach by bus, that the waiting area should be calm and that letters should be written in plain language. Many carers asked for a quiet room where they could talk to staff.',
    'We have changed the design in response. The entrance now faces the bus stop, the waiting area has natural light and fewer announcements, and every appointment letter has been rewritten with the patient panel.',
    'There is more to do. We will report back in the autumn on how the changes are working, and we would like to hear your views in the comments below.',
  ],
};

export function makeComments(count: number, seed = 20260101): BenchComment[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  const out: BenchComment[] = [];
  const topLevel: number[] = [];
  for (let i = 0; i < count; i++) {
    // About 300 characters: sentences until the length lands between 250 and 400; a third split
    // into two paragraphs.
    const target = 250 + Math.floor(rand() * 100);
    const parts: string[] = [];
    while (parts.join(' ').length < target) parts.push(pick(sentences));
    let body = parts.join(' ');
    if (rand() < 0.33 && parts.length > 2) body = `${parts.slice(0, 2).join(' ')}\n\n${parts.slice(2).join(' ')}`;
    const isReply = i > 3 && rand() < 0.4;
    const parentIndex = isReply ? pick(topLevel) : null;
    if (!isReply) topLevel.push(i);
    const withRole = rand() < 0.45;
    const role = withRole ? pick(roles) : null;
    const first = pick(firstNames);
    const last = pick(lastNames);
    out.push({
      index: i,
      parentIndex,
      authorName: `${first} ${last}`,
      authorJobTitle: role ? role[0] : null,
      authorOrganisation: role ? role[1] : null,
      authorEmail: `${first}.${last}.${i}@example.org`.toLowerCase(),
      // A per-comment reference makes each body unique, so the page check can find all of them.
      body: `${body} (ref ${1000 + i})`,
      createdAt: new Date(start + i * 3 * 3600 * 1000),
    });
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function seedBenchStory(
  db: Db,
  opts: { commentCount: number; siteSettings?: Partial<SiteSettings> },
): Promise<{ storyId: number; slug: string; comments: BenchComment[] }> {
  await db
    .insert(settings)
    .values({ key: 'site', value: { ...defaultSettings, ...opts.siteSettings } })
    .onConflictDoNothing();
  const [story] = await db
    .insert(stories)
    .values({
      slug: benchStory.slug,
      title: benchStory.title,
      summary: benchStory.summary,
      bodyMarkdown: benchStory.paragraphs.join('\n\n'),
      bodyHtml: benchStory.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n'),
      authorName: benchStory.authorName,
      authorJobTitle: benchStory.authorJobTitle,
      status: 'published',
      publishedAt: new Date(Date.now() - 31 * 24 * 3600 * 1000),
      commentsOpen: true,
    })
    .returning({ id: stories.id });
  const storyId = story!.id;
  const list = makeComments(opts.commentCount);
  const ids = new Map<number, number>();
  // Top-level comments first so replies can point at their parents' ids.
  const ordered = [...list.filter((c) => c.parentIndex === null), ...list.filter((c) => c.parentIndex !== null)];
  for (const c of ordered) {
    const [row] = await db
      .insert(comments)
      .values({
        ...onStory(storyId),
        parentId: c.parentIndex === null ? null : ids.get(c.parentIndex)!,
        authorName: c.authorName,
        authorJobTitle: c.authorJobTitle,
        authorOrganisation: c.authorOrganisation,
        authorEmail: c.authorEmail,
        body: c.body,
        status: 'approved',
        ipAddress: '203.0.113.7',
        createdAt: c.createdAt,
        moderatedAt: c.createdAt,
      })
      .returning({ id: comments.id });
    ids.set(c.index, row!.id);
  }
  return { storyId, slug: benchStory.slug, comments: list };
}

// How many of the seeded comments the page shows (their unique references).
export function countRenderedComments(html: string, list: BenchComment[]): number {
  return list.filter((c) => html.includes(`(ref ${1000 + c.index})`)).length;
}
