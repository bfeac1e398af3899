import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { isAdmin } from '#src/platform/identity/roles.ts';
import { dateBoxes } from '#src/features/groups/meetings-time.ts';
import type { RoundRow } from './standards-repository.ts';
import { roundView } from './standards-round-view.ts';
import { roundFieldOrder, savedNotice } from './standards-schema.ts';

const A = 'standardsStaff.admin';
const V = 'accountability/views/standards';
type IdParams = { Params: { id: string } };

const roundValues = (r: RoundRow) => ({
  title: r.title,
  summary: r.summaryMarkdown,
  ...dateBoxes('periodStart', r.periodStart),
  ...dateBoxes('periodEnd', r.periodEnd),
  ...translationsToForm(r.translations, ['title', 'summary']),
});
const savedOf = savedNotice;

// Staff run assessment rounds: the list by framework, a round's details, its page with every
// standard, and the round's states (open, complete with a confirmation, publish).
export default async function standardsRoundsRoutes(app: FastifyInstance) {
  const { standardsRounds: rounds, standardsFrameworks: frameworks } = app.services;
  app.addHook('onRequest', requireStaff);

  const findRound = (raw: string) => rounds.find(idOrNotFound(raw, 'round'));

  async function renderForm(
    reply: FastifyReply,
    round: RoundRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const active = await frameworks.list(false);
    return reply.render(
      `${V}/round-form.njk`,
      {
        pageTitle: round ? msg(`${A}.roundForm.editTitle`, { title: round.title }) : msg(`${A}.roundForm.newTitle`),
        round,
        values,
        errors,
        errorList: errorSummary(errors, roundFieldOrder),
        formAction: round ? `/admin/standards/${round.id}/edit` : '/admin/standards/new',
        frameworkItems: [
          { value: '', text: reply.request.tr.t(`${A}.roundForm.chooseFramework`) },
          ...active.map((f) => ({
            value: String(f.id),
            text: f.edition ? `${f.name} (${f.edition})` : f.name,
            selected: values.frameworkId === String(f.id),
          })),
        ],
      },
      status,
    );
  }

  async function renderRound(
    reply: FastifyReply,
    round: RoundRow,
    extra: { saved?: string | null; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const view = await roundView(app.featureContext, app.database.db, round, { lang: reply.request.lang, publicView: false });
    const errors = extra.errors ?? {};
    return reply.render(
      `${V}/round.njk`,
      {
        pageTitle: msg(`${A}.round.title`, { title: round.title }),
        ...view,
        saved: extra.saved ?? null,
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  }

  app.get<{ Querystring: { saved?: unknown } }>('/admin/standards', async (req, reply) => {
    const [all, list] = await Promise.all([frameworks.list(true), rounds.list()]);
    const groups = all
      .map((f) => ({ framework: f, rounds: list.filter((r) => r.frameworkId === f.id) }))
      .filter((g) => g.rounds.length || !g.framework.archivedAt);
    return reply.render(`${V}/rounds.njk`, {
      pageTitle: msg(`${A}.rounds.title`),
      groups,
      canKeepFrameworks: isAdmin(req.currentUser),
      saved: savedOf(req.query),
    });
  });

  app.get('/admin/standards/new', async (_req, reply) => renderForm(reply, null, {}));
  app.post('/admin/standards/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await rounds.create(req.currentUser!, form);
    if (!result.ok) return renderForm(reply, null, form, result.errors, 400);
    return reply.redirect(`/admin/standards/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams & { Querystring: { saved?: unknown } }>('/admin/standards/:id', async (req, reply) =>
    renderRound(reply, await findRound(req.params.id), { saved: savedOf(req.query) }),
  );

  app.get<IdParams>('/admin/standards/:id/edit', async (req, reply) => {
    const round = await findRound(req.params.id);
    return renderForm(reply, round, roundValues(round));
  });
  app.post<IdParams>('/admin/standards/:id/edit', async (req, reply) => {
    const round = await findRound(req.params.id);
    const form = trimmed(req.body);
    const result = await rounds.update(round, form);
    if (!result.ok) return renderForm(reply, round, form, result.errors, 400);
    return reply.redirect(`/admin/standards/${round.id}?saved=changed`, 303);
  });

  app.post<IdParams>('/admin/standards/:id/open', async (req, reply) => {
    const round = await findRound(req.params.id);
    const result = await rounds.open(round);
    if (!result.ok) return renderRound(reply, round, { errors: result.errors }, 409);
    return reply.redirect(`/admin/standards/${round.id}?saved=opened`, 303);
  });

  // Completing asks first: it freezes the ratings and keeps the measures as they are today.
  async function renderComplete(reply: FastifyReply, round: RoundRow, errors: FieldErrors = {}, status = 200) {
    const unrated = await rounds.unratedStandards(round);
    return reply.render(
      `${V}/complete.njk`,
      { pageTitle: msg(`${A}.complete.title`, { title: round.title }), round, unrated, errors, errorList: errorSummary(errors) },
      status,
    );
  }
  app.get<IdParams>('/admin/standards/:id/complete', async (req, reply) => {
    const round = await findRound(req.params.id);
    if (round.state === 'completed') return reply.redirect(`/admin/standards/${round.id}`, 303);
    return renderComplete(reply, round);
  });
  app.post<IdParams>('/admin/standards/:id/complete', async (req, reply) => {
    const round = await findRound(req.params.id);
    const result = await rounds.complete(req.currentUser!, round);
    if (!result.ok) return renderComplete(reply, round, result.errors, 409);
    return reply.redirect(`/admin/standards/${round.id}?saved=completed`, 303);
  });

  for (const [path, published] of [
    ['publish', true],
    ['unpublish', false],
  ] as const)
    app.post<IdParams>(`/admin/standards/:id/${path}`, async (req, reply) => {
      const round = await findRound(req.params.id);
      const result = await rounds.setPublished(req.currentUser!, round, published);
      if (!result.ok) return renderRound(reply, round, { errors: result.errors }, 409);
      return reply.redirect(`/admin/standards/${round.id}?saved=${path}ed`, 303);
    });
}
