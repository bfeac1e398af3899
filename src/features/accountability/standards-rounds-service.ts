import type { Db } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { parseId } from '#src/lib/ids.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translations } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { computeMeasures, type Measure } from './evidence-measures.ts';
import { createStandardsRepository, type RoundRow, type StandardRow } from './standards-repository.ts';
import { RatingSchema, readRoundForm, type RoundFields } from './standards-schema.ts';

const V = 'standardsStaff.admin.validation';

function roundTranslations(v: RoundFields): Translations {
  const cy: Record<string, string> = {};
  if (v.title_cy) cy.title = v.title_cy;
  if (v.summary_cy) {
    cy.summary = v.summary_cy;
    cy.summaryHtml = renderMarkdown(v.summary_cy);
  }
  return Object.keys(cy).length ? { cy } : {};
}

// Staff run assessment rounds against a framework: draft → open → completed. Completing keeps
// each standard's computed measures as they were that day (so history stays true) and freezes
// the ratings; publishing shows the summary at /standards/<slug>.
export function createStandardsRoundsService(db: Db, ctx: FeatureContext) {
  const repo = createStandardsRepository(db);
  const { audit } = ctx.services;

  async function unratedStandards(round: RoundRow): Promise<StandardRow[]> {
    const rated = new Set((await repo.ratingsOf(round.id)).filter((r) => r.rating).map((r) => r.standardId));
    return (await repo.standardsOf(round.frameworkId)).filter((s) => !rated.has(s.id));
  }

  return {
    list: () => repo.rounds(),
    published: () => repo.publishedRounds(),
    countOpen: () => repo.countOpen(),
    unratedStandards,
    // The narrative's Markdown, to fill the rating form in.
    narrativeOf: async (roundId: number, standardId: number) =>
      (await repo.ratingsOf(roundId)).find((r) => r.standardId === standardId)?.narrativeMarkdown ?? '',
    async find(id: number): Promise<RoundRow> {
      const r = await repo.round(id);
      if (!r) throw notFound('round');
      return r;
    },
    // The public summary: only a completed round staff published.
    async findPublished(slug: string): Promise<RoundRow> {
      const r = await repo.roundBySlug(slug);
      if (!r || r.state !== 'completed' || !r.publishedAt) throw notFound('round');
      return r;
    },

    async create(staff: CurrentUser, form: Record<string, unknown>): Promise<Result<RoundRow>> {
      const v = readRoundForm(form);
      const frameworkId = parseId(form.frameworkId);
      const framework = frameworkId ? await repo.framework(frameworkId) : null;
      if (!framework || framework.archivedAt) return invalid({ ...(v.ok ? {} : v.errors), frameworkId: msg(`${V}.frameworkId`) });
      if (!v.ok) return v;
      const summary = v.value.summary ?? '';
      const round = await repo.insertRound({
        slug: await repo.freeRoundSlug(v.value.title),
        frameworkId: framework.id,
        title: v.value.title,
        periodStart: v.value.periodStart,
        periodEnd: v.value.periodEnd,
        summaryMarkdown: summary,
        summaryHtml: renderMarkdown(summary),
        translations: roundTranslations(v.value),
        createdBy: staff.id,
      });
      return ok(round);
    },

    // The words and period; the framework stays (ratings belong to its standards).
    async update(round: RoundRow, form: Record<string, unknown>): Promise<Result> {
      const v = readRoundForm(form);
      if (!v.ok) return v;
      const summary = v.value.summary ?? '';
      await repo.updateRound(round.id, {
        title: v.value.title,
        // A completed round's measures were counted over its period: it stays.
        ...(round.state === 'completed' ? {} : { periodStart: v.value.periodStart, periodEnd: v.value.periodEnd }),
        summaryMarkdown: summary,
        summaryHtml: renderMarkdown(summary),
        translations: roundTranslations(v.value),
      });
      return ok();
    },

    async open(round: RoundRow): Promise<Result> {
      if (round.state !== 'draft') return invalid({ form: msg(`${V}.notDraft`) });
      await repo.updateRound(round.id, { state: 'open' });
      return ok();
    },

    async rate(staff: CurrentUser, round: RoundRow, standard: StandardRow, form: unknown): Promise<Result> {
      if (round.state === 'completed') return invalid({ form: msg(`${V}.completed`) });
      const v = validateForm(RatingSchema, form);
      if (!v.ok) return v;
      const narrative = v.value.narrative ?? '';
      await repo.saveRating({
        roundId: round.id,
        standardId: standard.id,
        rating: v.value.rating,
        narrativeMarkdown: narrative,
        narrativeHtml: renderMarkdown(narrative),
        updatedBy: staff.id,
      });
      return ok();
    },

    // Refused while any standard is unrated (the message names them). The measures are counted
    // first (they read other features), then kept with the state change in one transaction.
    async complete(staff: CurrentUser, round: RoundRow): Promise<Result> {
      if (round.state === 'completed') return invalid({ form: msg(`${V}.completed`) });
      const unrated = await unratedStandards(round);
      if (unrated.length) return invalid({ form: msg(`${V}.unrated`, { names: unrated.map((s) => s.name).join(', ') }) });
      const list = await repo.standardsOf(round.frameworkId);
      const keys = [...new Set(list.flatMap((s) => s.measures))];
      const computed = await computeMeasures(ctx, keys, { from: round.periodStart, to: round.periodEnd });
      const byKey = new Map<string, Measure>(computed.map((m) => [m.key, m]));
      await db.transaction(async (tx) => {
        for (const s of list) {
          const kept = Object.fromEntries(s.measures.flatMap((k) => (byKey.has(k) ? [[k, byKey.get(k)!]] : [])));
          await repo.keepMeasures(round.id, s.id, kept, tx);
        }
        await repo.updateRound(round.id, { state: 'completed', completedAt: new Date() }, tx);
        await audit.record(
          { actorUserId: staff.id, action: 'standards.round-completed', details: { roundId: round.id, title: round.title } },
          tx,
        );
      });
      return ok();
    },

    async setPublished(staff: CurrentUser, round: RoundRow, published: boolean): Promise<Result> {
      if (round.state !== 'completed') return invalid({ form: msg(`${V}.publishIncomplete`) });
      await db.transaction(async (tx) => {
        await repo.updateRound(round.id, { publishedAt: published ? (round.publishedAt ?? new Date()) : null }, tx);
        await audit.record(
          {
            actorUserId: staff.id,
            action: published ? 'standards.round-published' : 'standards.round-unpublished',
            details: { roundId: round.id, title: round.title },
          },
          tx,
        );
      });
      return ok();
    },
  };
}

export type StandardsRoundsService = ReturnType<typeof createStandardsRoundsService>;
