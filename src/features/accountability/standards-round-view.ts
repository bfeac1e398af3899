import type { ContributorViews } from './assessing-service.ts';
import type { Db } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { commitmentOptions, publishedCommitmentsById, type CommitmentOption } from './commitments-lookup.ts';
import { computeMeasures, type Measure } from './evidence-measures.ts';
import { movementOf, type Movement } from './standards-movement.ts';
import { createStandardsRepository, type ActionRow, type EvidenceRow, type RoundRow, type StandardRow } from './standards-repository.ts';
import { ratings, type Rating } from './tables.ts';

// Everything a round's page shows of each standard, for staff (every piece of evidence, the
// measures as they are today until the round is completed) or for the public summary (public
// links only, the kept measures, published commitments, movement from the previous published
// round).

// What the contributors' co-assessment (the assessing area) says of each standard.
export type ContributorView = ContributorViews;

export function contributorViews(ctx: FeatureContext, roundId: number): Promise<Map<number, ContributorView>> {
  return ctx.services.assessing.viewsFor(roundId);
}

// A standard's words in the page's language (questions are one a line in the translations).
export function standardText(s: StandardRow, lang: Lang) {
  const text = localised(s, ['name', 'summary'], lang);
  const cyQuestions = text.contentLang !== 'en' ? s.translations?.[text.contentLang]?.questions : undefined;
  return { ...text, questions: cyQuestions ? cyQuestions.split('\n').filter(Boolean) : s.questions };
}

export type StandardView = {
  standard: ReturnType<typeof standardText>;
  rating: Rating | null;
  narrativeHtml: string;
  movement: Movement | null;
  measures: Measure[];
  // How many figures bear on the standard (some may not have been kept, in an older round).
  measureCount: number;
  evidence: EvidenceRow[];
  actions: (ActionRow & { commitment: CommitmentOption | null })[];
  contributors: ContributorView | null;
};

export async function roundView(ctx: FeatureContext, db: Db, round: RoundRow, opts: { lang: Lang; publicView: boolean }) {
  const repo = createStandardsRepository(db);
  const [framework, list, ratingRows, previous, evidence, actions, views] = await Promise.all([
    repo.framework(round.frameworkId),
    repo.standardsOf(round.frameworkId),
    repo.ratingsOf(round.id),
    repo.previousRound(round, opts.publicView),
    repo.evidenceOf(round.id),
    repo.actionsOf(round.id),
    contributorViews(ctx, round.id),
  ]);
  const ratingOf = new Map(ratingRows.map((r) => [r.standardId, r]));
  const before = new Map(previous ? (await repo.ratingsOf(previous.id)).map((r) => [r.standardId, r.rating]) : []);
  const completed = round.state === 'completed';
  let live = new Map<string, Measure>();
  if (!completed) {
    const keys = [...new Set(list.flatMap((s) => s.measures))];
    live = new Map((await computeMeasures(ctx, keys, { from: round.periodStart, to: round.periodEnd })).map((m) => [m.key, m]));
  }
  const linked = actions.flatMap((a) => (a.commitmentId ? [a.commitmentId] : []));
  const commitments = opts.publicView
    ? await publishedCommitmentsById(db, linked)
    : new Map((await commitmentOptions(db)).map((c) => [c.id, c]));

  const standards: StandardView[] = list.map((s) => {
    const r = ratingOf.get(s.id);
    const kept = (r?.measures ?? {}) as Record<string, Measure>;
    return {
      standard: standardText(s, opts.lang),
      rating: r?.rating ?? null,
      narrativeHtml: r?.narrativeHtml ?? '',
      movement: movementOf(r?.rating ?? null, before.get(s.id)),
      measures: s.measures.flatMap((k) => {
        const m = completed ? kept[k] : live.get(k);
        return m ? [m] : [];
      }),
      measureCount: s.measures.length,
      evidence: evidence.filter((e) => e.standardId === s.id && (!opts.publicView || (e.kind === 'link' && e.isPublic))),
      actions: actions
        .filter((a) => a.standardId === s.id)
        .map((a) => ({ ...a, commitment: a.commitmentId ? (commitments.get(a.commitmentId) ?? null) : null })),
      contributors: views.get(s.id) ?? null,
    };
  });
  return {
    round: localised(round, ['title', 'summaryHtml'], opts.lang),
    framework: framework ? localised(framework, ['name', 'descriptionHtml'], opts.lang) : null,
    previous: previous ? localised(previous, ['title'], opts.lang) : null,
    standards,
    rated: standards.filter((s) => s.rating).length,
    ratingKeys: ratings,
  };
}

export type RoundView = Awaited<ReturnType<typeof roundView>>;
