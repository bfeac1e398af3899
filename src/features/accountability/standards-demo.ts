import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { insertDraftCommitment } from './commitments-lookup.ts';
import { ensureFrameworks } from './standards-framework-files.ts';
import { createStandardsRepository } from './standards-repository.ts';
import { assessmentActions, assessmentEvidence, assessmentRatings, assessmentRounds, commitmentStatuses, type Rating } from './tables.ts';

// Demo rounds: a 2024 baseline and a 2025 annual review against 4Pi (completed and published, so
// the summary shows movement between them), and a 2026 review against the UK Standards, open with
// some standards rated. Slugs: 2024-baseline, 2025-annual-review, 2026-annual-review.

type Rated = { rating: Rating; narrative: string };
type DemoRound = {
  slug: string;
  title: string;
  titleCy: string;
  framework: string;
  period: [string, string];
  summary: string;
  completedAt: Date | null;
  ratings: Record<string, Rated>;
};

const rounds: DemoRound[] = [
  {
    slug: '2024-baseline',
    title: '2024 baseline',
    titleCy: 'Llinell sylfaen 2024',
    framework: '4pi',
    period: ['2024-01-01', '2024-12-31'],
    summary:
      'Our first honest look at how we involve people. We found good will but little structure: people were rarely paid on time and we seldom told them what happened next.',
    completedAt: new Date('2025-01-24T12:00:00Z'),
    ratings: {
      principles: { rating: 'developing', narrative: 'We had values on paper, written by staff alone.' },
      purpose: { rating: 'not-yet', narrative: 'People often joined a meeting without knowing what could change.' },
      presence: { rating: 'developing', narrative: 'Most contributors came from the same two groups in the town centre.' },
      process: { rating: 'developing', narrative: 'Payments took six weeks on average, and access needs were asked for late.' },
      impact: { rating: 'not-yet', narrative: 'We did not record what changed, so we could not tell anyone.' },
    },
  },
  {
    slug: '2025-annual-review',
    title: '2025 annual review',
    titleCy: 'Adolygiad blynyddol 2025',
    framework: '4pi',
    period: ['2025-01-01', '2025-12-31'],
    summary:
      'A year of steady work. We rewrote our values with the involvement group, made a public promise to involve people, and started our "you said, we did" log. Reaching people outside the town centre is still our weakest point.',
    completedAt: new Date('2026-01-23T12:00:00Z'),
    ratings: {
      principles: {
        rating: 'established',
        narrative: 'The involvement group rewrote our values with us in March, and they are now part of every brief.',
      },
      purpose: { rating: 'developing', narrative: 'Every opportunity now says what it is for, though some meetings still drift.' },
      presence: { rating: 'developing', narrative: 'More people joined, but mostly from the same places. See the action below.' },
      process: { rating: 'established', narrative: 'We now pay within ten working days and ask about access needs when people register.' },
      impact: { rating: 'developing', narrative: 'Our "you said, we did" log started in the spring and has grown every month.' },
    },
  },
  {
    slug: '2026-annual-review',
    title: '2026 annual review',
    titleCy: 'Adolygiad blynyddol 2026',
    framework: 'ukspi',
    period: ['2026-01-01', '2026-12-31'],
    summary: '',
    completedAt: null,
    ratings: {
      'inclusive-opportunities': {
        rating: 'developing',
        narrative: 'Every advert now states the fee, but most applicants still hear about us by word of mouth.',
      },
      communications: { rating: 'established', narrative: 'Everyone who applies hears back within two weeks, chosen or not.' },
    },
  },
];

async function seedRound(db: Db | Tx, r: DemoRound, lead: string | null): Promise<number> {
  const repo = createStandardsRepository(db);
  const framework = await repo.frameworkByKey(r.framework, db);
  if (!framework) return 0;
  const byKey = new Map((await repo.standardsOf(framework.id, db)).map((s) => [s.key, s]));
  const [round] = await db
    .insert(assessmentRounds)
    .values({
      slug: r.slug,
      frameworkId: framework.id,
      title: r.title,
      state: r.completedAt ? 'completed' : 'open',
      periodStart: r.period[0],
      periodEnd: r.period[1],
      summaryMarkdown: r.summary,
      summaryHtml: renderMarkdown(r.summary),
      translations: { cy: { title: r.titleCy } },
      completedAt: r.completedAt,
      publishedAt: r.completedAt,
      createdBy: lead,
    })
    .returning({ id: assessmentRounds.id });
  for (const [key, v] of Object.entries(r.ratings)) {
    const s = byKey.get(key);
    if (!s) continue;
    await db.insert(assessmentRatings).values({
      roundId: round!.id,
      standardId: s.id,
      rating: v.rating,
      narrativeMarkdown: v.narrative,
      narrativeHtml: renderMarkdown(v.narrative),
      measures: r.completedAt ? {} : null,
      updatedBy: lead,
    });
  }
  return round!.id;
}

// Evidence and an action that became a commitment, on the 2025 review.
async function seedEvidence(db: Db | Tx, roundId: number, lead: string | null) {
  const repo = createStandardsRepository(db);
  const framework = await repo.frameworkByKey('4pi', db);
  if (!framework) return;
  const byKey = new Map((await repo.standardsOf(framework.id, db)).map((s) => [s.key, s.id]));
  await db.insert(assessmentEvidence).values([
    {
      roundId,
      standardId: byKey.get('principles')!,
      kind: 'link',
      title: 'Our promise to involve people',
      href: '/commitments/our-promise-to-involve-people',
      addedBy: lead,
    },
    { roundId, standardId: byKey.get('impact')!, kind: 'link', title: 'You said, we did', href: '/you-said-we-did', addedBy: lead },
    { roundId, standardId: byKey.get('process')!, kind: 'link', title: 'How we pay contributors', href: '/opportunities', addedBy: lead },
  ]);
  const text = 'Hold drop-in sessions twice a year in community venues outside the town centre';
  const [status] = await db
    .select({ id: commitmentStatuses.id })
    .from(commitmentStatuses)
    .where(eq(commitmentStatuses.category, 'not-started'))
    .limit(1);
  const made =
    status && lead
      ? await insertDraftCommitment(db, {
          title: text,
          promiseMarkdown: 'An action from our 2025 assessment against the 4Pi standard "Presence".',
          dueOn: '2026-12-31',
          tags: ['involvement standards'],
          createdBy: lead,
        })
      : null;
  await db.insert(assessmentActions).values({
    roundId,
    standardId: byKey.get('presence')!,
    text,
    dueOn: '2026-12-31',
    commitmentId: made?.id ?? null,
    createdBy: lead,
  });
}

export async function seedDemoStandards(ctx: SeedContext): Promise<void> {
  const { db, services } = ctx;
  await ensureFrameworks(db);
  // Once: the demo's first round is the mark it ran.
  if ((await db.select({ id: assessmentRounds.id }).from(assessmentRounds).where(eq(assessmentRounds.slug, rounds[0]!.slug))).length)
    return;
  const lead = (await services.identity.findAccountByEmail('priya.natarajan@example.org', db))?.id ?? null;
  const ids: Record<string, number> = {};
  for (const r of rounds) ids[r.slug] = await seedRound(db, r, lead);
  if (ids['2025-annual-review']) await seedEvidence(db, ids['2025-annual-review'], lead);
}
