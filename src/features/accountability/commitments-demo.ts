import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { rollUpFrom } from './commitments-rollup.ts';
import { insertDefaultStatuses } from './commitments-statuses.ts';
import { commitmentHistory, commitmentMilestones, commitments, commitmentStatuses, commitmentUpdates } from './tables.ts';

// Demo content: the demo story's promise ("What we promise next") as a commitment, with three
// commitments under it and a year of history, so the page reads like work in progress.

const DAY = 86_400_000;
const STORY_PATH = '/stories/working-with-people-not-for-them';

const daysAgo = (n: number, now: Date) => new Date(now.getTime() - n * DAY);
const isoDaysAgo = (n: number, now: Date) => daysAgo(n, now).toISOString().slice(0, 10);

type Child = {
  slug: string;
  title: string;
  titleCy: string;
  promise: string;
  status: string;
  progress: number;
  history: { daysAgo: number; status: string; progress: number; reason?: string }[];
  milestones: { title: string; titleCy: string; plannedDaysAgo: number; doneDaysAgo: number | null }[];
  update?: { daysAgo: number; title: string; body: string };
  dueInDays: number;
  tags: string[];
};

const children: Child[] = [
  {
    slug: 'publish-our-involvement-strategy',
    title: 'Publish our involvement strategy',
    titleCy: 'Cyhoeddi ein strategaeth cynnwys',
    promise: 'We will write our involvement strategy with the lived-experience group and publish it on this website.',
    status: 'done',
    progress: 100,
    history: [
      { daysAgo: 300, status: 'in-progress', progress: 30 },
      { daysAgo: 200, status: 'in-progress', progress: 70 },
      { daysAgo: 120, status: 'done', progress: 100 },
    ],
    milestones: [
      {
        title: 'First draft shared with the lived-experience group',
        titleCy: 'Drafft cyntaf wedi’i rannu â’r grŵp profiad bywyd',
        plannedDaysAgo: 240,
        doneDaysAgo: 235,
      },
      { title: 'Strategy published', titleCy: 'Strategaeth wedi’i chyhoeddi', plannedDaysAgo: 130, doneDaysAgo: 120 },
    ],
    dueInDays: -100,
    tags: ['strategy'],
  },
  {
    slug: 'pay-contributors-within-15-working-days',
    title: 'Pay contributors within 15 working days',
    titleCy: 'Talu cyfranwyr o fewn 15 diwrnod gwaith',
    promise: 'Everyone we pay for involvement work will be paid within 15 working days of sending their claim.',
    status: 'at-risk',
    progress: 40,
    history: [
      { daysAgo: 280, status: 'in-progress', progress: 20 },
      { daysAgo: 150, status: 'in-progress', progress: 55 },
      { daysAgo: 40, status: 'at-risk', progress: 40, reason: 'Payments slowed while our finance system changed.' },
    ],
    milestones: [{ title: 'Claims made online', titleCy: 'Hawliadau ar-lein', plannedDaysAgo: 200, doneDaysAgo: 190 }],
    update: {
      daysAgo: 38,
      title: 'Why payments have slowed down',
      body: 'Our finance system changed in the autumn and some payments took up to 25 working days. We are sorry.\n\nWe have added a second person to approve claims, and we will report the time to pay here every month until we are back within 15 working days.',
    },
    dueInDays: 90,
    tags: ['payments'],
  },
  {
    slug: 'co-design-one-major-piece-of-work-a-year',
    title: 'Co-design one major piece of work a year',
    titleCy: 'Cyd-ddylunio un darn mawr o waith bob blwyddyn',
    promise: 'Each year, one of our major projects will be designed together with patients and the public from the very start.',
    status: 'in-progress',
    progress: 50,
    history: [
      { daysAgo: 250, status: 'in-progress', progress: 10 },
      { daysAgo: 90, status: 'in-progress', progress: 50 },
    ],
    milestones: [
      { title: 'Co-design group recruited', titleCy: 'Grŵp cyd-ddylunio wedi’i recriwtio', plannedDaysAgo: 100, doneDaysAgo: 95 },
      {
        title: 'First co-designed project agreed',
        titleCy: 'Prosiect cyd-ddylunio cyntaf wedi’i gytuno',
        plannedDaysAgo: -60,
        doneDaysAgo: null,
      },
    ],
    dueInDays: 300,
    tags: ['co-design'],
  },
];

async function statusIds(db: Db | Tx): Promise<Map<string, number>> {
  return new Map(
    (await db.select({ key: commitmentStatuses.key, id: commitmentStatuses.id }).from(commitmentStatuses)).map((s) => [s.key, s.id]),
  );
}

export async function seedDemoCommitments({ db }: SeedContext): Promise<void> {
  const now = new Date();
  await insertDefaultStatuses(db);
  const [already] = await db.select({ id: commitments.id }).from(commitments).where(eq(commitments.slug, 'our-promise-to-involve-people'));
  if (already) return;
  const ids = await statusIds(db);
  const promise =
    'Over the next two years we will involve people with lived experience in every project from the start, pay fairly and on time, and co-design our biggest pieces of work.';
  const [parent] = await db
    .insert(commitments)
    .values({
      slug: 'our-promise-to-involve-people',
      title: 'Our promise to involve people',
      promiseMarkdown: promise,
      promiseHtml: renderMarkdown(promise),
      whyMarkdown: 'People told us, in the comments on our story, to hold us to account on our progress.',
      whyHtml: renderMarkdown('People told us, in the comments on our story, to hold us to account on our progress.'),
      responsibleRole: 'Director of Public Involvement',
      sourceTitle: 'Our story: working with patients and the public',
      sourceUrl: STORY_PATH,
      startsOn: isoDaysAgo(330, now),
      dueOn: isoDaysAgo(-400, now),
      statusId: ids.get('in-progress')!,
      progress: 0,
      tags: ['strategy'],
      publishedAt: daysAgo(330, now),
      translations: { cy: { title: 'Ein haddewid i gynnwys pobl' } },
      createdAt: daysAgo(330, now),
    })
    .returning({ id: commitments.id });
  await db
    .insert(commitmentHistory)
    .values({ commitmentId: parent!.id, cause: 'created', toStatusId: ids.get('in-progress')!, toProgress: 0, at: daysAgo(330, now) });

  for (const [position, c] of children.entries()) await seedChild(db, parent!.id, position, c, ids, now);
  await rollUpFrom(db, parent!.id, daysAgo(38, now));
}

async function seedChild(db: Db | Tx, parentId: number, position: number, c: Child, ids: Map<string, number>, now: Date) {
  const [row] = await db
    .insert(commitments)
    .values({
      slug: c.slug,
      parentId,
      title: c.title,
      promiseMarkdown: c.promise,
      promiseHtml: renderMarkdown(c.promise),
      responsibleRole: 'Head of Involvement',
      sourceTitle: 'Our story: working with patients and the public',
      sourceUrl: STORY_PATH,
      startsOn: isoDaysAgo(320, now),
      dueOn: isoDaysAgo(-c.dueInDays, now),
      statusId: ids.get(c.status)!,
      progress: c.progress,
      statusReason: c.history.at(-1)?.reason ?? null,
      tags: c.tags,
      position,
      publishedAt: daysAgo(320, now),
      translations: { cy: { title: c.titleCy } },
      createdAt: daysAgo(320, now),
    })
    .returning({ id: commitments.id });
  const id = row!.id;
  let from = { status: ids.get('not-started')!, progress: 0 };
  await db
    .insert(commitmentHistory)
    .values({ commitmentId: id, cause: 'created', toStatusId: from.status, toProgress: 0, at: daysAgo(320, now) });
  for (const h of c.history) {
    const to = { status: ids.get(h.status)!, progress: h.progress };
    await db.insert(commitmentHistory).values({
      commitmentId: id,
      cause: 'staff',
      fromStatusId: from.status,
      toStatusId: to.status,
      fromProgress: from.progress,
      toProgress: to.progress,
      reason: h.reason ?? null,
      at: daysAgo(h.daysAgo, now),
    });
    from = to;
  }
  for (const m of c.milestones)
    await db.insert(commitmentMilestones).values({
      commitmentId: id,
      title: m.title,
      plannedOn: isoDaysAgo(m.plannedDaysAgo, now),
      doneOn: m.doneDaysAgo === null ? null : isoDaysAgo(m.doneDaysAgo, now),
      translations: { cy: { title: m.titleCy } },
    });
  if (c.update)
    await db.insert(commitmentUpdates).values({
      commitmentId: id,
      title: c.update.title,
      bodyMarkdown: c.update.body,
      bodyHtml: renderMarkdown(c.update.body),
      publishedAt: daysAgo(c.update.daysAgo, now),
      createdAt: daysAgo(c.update.daysAgo, now),
    });
}
