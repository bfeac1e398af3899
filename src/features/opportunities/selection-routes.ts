import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { notFound } from '#src/lib/errors.ts';
import { msg } from '#src/lib/messages.ts';
import { paginationParams } from '#src/lib/pagination.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { ApplicationsQuerySchema, decisions, queryString, shows, type ApplicationsQuery } from './selection-schema.ts';
import { APPLICATIONS_PER_PAGE } from './selection-service.ts';
import { selectionStates } from './tables.ts';

const V = 'opportunities/views/selection';
const A = 'selection.admin';
type Params = { id: string; applicationId: string };
type Saved = 'decision' | 'review' | 'feedback';

// Involvement staff (and admins) choose among the applications to an opportunity, see how fair the
// choice is, and tell every applicant the outcome. Other staff and contributors are refused.
export default async function selectionRoutes(app: FastifyInstance) {
  const { selection } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  const base = (id: number) => `/admin/opportunities/${id}/applications`;

  async function renderList(
    reply: FastifyReply,
    id: number,
    q: ApplicationsQuery,
    opts: { errors?: FieldErrors; sent?: number; offered?: string } = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const found = await selection.list(reply.request.currentUser!, id, q);
    const page = q.page ?? 1;
    if (page > found.pages) throw notFound('page');
    return reply.render(
      `${V}/applications.njk`,
      {
        pageTitle: msg(`${A}.list.title`, { title: found.opportunity.title }),
        opportunity: found.opportunity,
        items: found.items,
        total: found.total,
        counts: found.counts,
        filtered: Boolean(q.selection || q.show),
        selectionItems: [
          { value: '', text: t(`${A}.list.anyDecision`) },
          ...selectionStates.map((s) => ({ value: s, text: t(`${A}.selection.${s}`), selected: q.selection === s })),
        ],
        showItems: [
          { value: '', text: t(`${A}.list.showAll`) },
          ...shows.map((s) => ({ value: s, text: t(`${A}.list.show.${s}`), selected: q.show === s })),
        ],
        pagination: paginationParams(page, found.total, APPLICATIONS_PER_PAGE, (n) => `${base(id)}?${queryString(q, n)}`),
        waitingForOffer: found.waitingForOffer,
        sent: opts.sent,
        offered: opts.offered,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      status,
    );
  }

  app.get<{ Params: Params; Querystring: Record<string, unknown> }>('/admin/opportunities/:id/applications', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const v = validateForm(ApplicationsQuerySchema, req.query);
    const q: ApplicationsQuery = v.ok ? v.value : {};
    if (q.page === null) throw notFound('page');
    const sent = typeof req.query.sent === 'string' && /^\d{1,6}$/.test(req.query.sent) ? Number(req.query.sent) : undefined;
    const offered = typeof req.query.offered === 'string' ? req.query.offered.slice(0, 120) : undefined;
    return renderList(reply, id, q, { sent, offered });
  });

  async function renderApplication(
    reply: FastifyReply,
    id: number,
    applicationId: number,
    opts: { saved?: Saved; errors?: FieldErrors; values?: Record<string, unknown> } = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const found = await selection.application(reply.request.currentUser!, id, applicationId);
    const values = opts.values ?? {};
    return reply.render(
      `${V}/application.njk`,
      {
        pageTitle: msg(`${A}.application.title`, { name: found.name, title: found.opportunity.title }),
        ...found,
        listHref: base(id),
        action: `${base(id)}/${applicationId}`,
        decisionItems: decisions.map((d) => ({
          value: d,
          text: t(`${A}.selection.${d}`),
          checked: (values.selection ?? found.application.selection) === d,
        })),
        scoreItems: ['1', '2', '3', '4', '5'].map((s) => ({
          value: s,
          text: t(`${A}.review.score.${s}`),
          checked: (values.score ?? (found.mine?.score != null ? String(found.mine.score) : '')) === s,
        })),
        notes: 'notes' in values ? values.notes : (found.mine?.notes ?? ''),
        feedback: 'feedback' in values ? values.feedback : (found.application.feedback ?? ''),
        saved: opts.saved,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors, ['selection', 'score', 'notes', 'feedback']) : [],
      },
      status,
    );
  }

  app.get<{ Params: Params; Querystring: { saved?: string } }>(
    '/admin/opportunities/:id/applications/:applicationId',
    async (req, reply) => {
      const saved = (['decision', 'review', 'feedback'] as const).find((s) => s === req.query.saved);
      return renderApplication(reply, idOrNotFound(req.params.id, 'opportunity'), idOrNotFound(req.params.applicationId, 'application'), {
        saved,
      });
    },
  );

  // The three forms on an application's page: the decision, this reviewer's score and notes, and
  // feedback for the outcome email. Each saves alone and comes back to the page.
  type Save = (actor: CurrentUser, id: number, applicationId: number, form: unknown) => Promise<Result>;
  const forms: [Saved, Save][] = [
    ['decision', (...a) => selection.decide(...a)],
    ['review', (...a) => selection.review(...a)],
    ['feedback', (...a) => selection.saveFeedback(...a)],
  ];
  for (const [name, save] of forms) {
    app.post<{ Params: Params }>(`/admin/opportunities/:id/applications/:applicationId/${name}`, async (req, reply) => {
      const id = idOrNotFound(req.params.id, 'opportunity');
      const applicationId = idOrNotFound(req.params.applicationId, 'application');
      const form = trimmed(req.body);
      const result = await save(req.currentUser!, id, applicationId, form);
      if (!result.ok) return renderApplication(reply, id, applicationId, { errors: result.errors, values: form }, 400);
      return reply.redirect(`${base(id)}/${applicationId}?saved=${name}#${name}-heading`, 303);
    });
  }

  app.post<{ Params: Params }>('/admin/opportunities/:id/outcomes', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const result = await selection.sendOutcomes(req.currentUser!, id);
    if (!result.ok) return renderList(reply, id, {}, { errors: result.errors }, 400);
    return reply.redirect(`${base(id)}?sent=${result.value.sent}`, 303);
  });

  app.post<{ Params: Params }>('/admin/opportunities/:id/offer', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const result = await selection.offerNext(req.currentUser!, id);
    if (!result.ok) return renderList(reply, id, {}, { errors: result.errors }, 400);
    return reply.redirect(`${base(id)}?offered=${encodeURIComponent(result.value.name)}#waitlist`, 303);
  });

  app.get<{ Params: Params }>('/admin/opportunities/:id/fairness', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const fair = await selection.fairness(req.currentUser!, id);
    return reply.render(`${V}/fairness.njk`, {
      pageTitle: msg(`${A}.fairness.title`, { title: fair.opportunity.title }),
      ...fair,
      listHref: base(id),
    });
  });
}
