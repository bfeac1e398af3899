import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { translationsToForm } from '#src/lib/localised.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { regionKey, regionOptions } from '#src/features/profile/schema.ts';
import { closingParts, dayParts } from './dates.ts';
import { presented } from './presenting.ts';
import type { OpportunityRow } from './repository.ts';
import { AdminListQuerySchema, formFieldOrder } from './schema.ts';
import type { StepOutcome } from './service.ts';
import { expenseKinds, feeUnits, opportunityModes, opportunityStatuses, opportunityTypes, supportKinds } from './tables.ts';

const A = 'opportunities.admin';
const savedKinds = ['created', 'changed', 'published', 'closed', 'extended', 'reopened', 'selection-done', 'archived'];

type IdParams = { Params: { id: string } };

// A stored opportunity as the form's fields.
function formValues(o: OpportunityRow): Record<string, unknown> {
  const cy = translationsToForm(o.translations, ['title', 'summary', 'roleMarkdown', 'involvedMarkdown']);
  return {
    ...o,
    role: o.roleMarkdown,
    involved: o.involvedMarkdown,
    lookingFor: o.lookingForMarkdown,
    title_cy: cy.title_cy,
    summary_cy: cy.summary_cy,
    role_cy: cy.roleMarkdown_cy,
    involved_cy: cy.involvedMarkdown_cy,
    paid: o.paid ? 'yes' : 'no',
    fee: o.feePence ? (o.feePence / 100).toFixed(2) : '',
    blindScoring: o.blindScoring ? 'yes' : '',
    meetingDates: o.meetingDates.map((d) => d.split('-').reverse().join('/')).join('\n'),
    soughtTermIds: o.soughtTermIds.map(String),
    ...dayParts('startsOn', o.startsOn),
    ...dayParts('endsOn', o.endsOn),
    ...closingParts('closesAt', o.closesAt),
  };
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

// Staff authoring: the list by status, the form, and each step of the life cycle.
export default async function opportunityAdminRoutes(app: FastifyInstance) {
  const { opportunities, profile } = app.services;
  // Opportunities are the involvement team's work: admins and involvement staff only.
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function find(raw: string): Promise<OpportunityRow> {
    const id = parseId(raw);
    const found = id ? await opportunities.byId(id) : null;
    if (!found) throw notFound('opportunity');
    return found;
  }

  async function renderForm(
    reply: FastifyReply,
    o: OpportunityRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const item = (prefix: string, chosen: unknown) => (v: string) => ({
      value: v,
      text: t(`opportunities.options.${prefix}.${v}`),
      checked: asList(chosen).includes(v),
    });
    const terms = await profile.terms(false);
    const sought = asList(values.soughtTermIds);
    return reply.render(
      'opportunities/views/admin/form.njk',
      {
        pageTitle: o ? msg(`${A}.form.editTitle`, { title: o.title }) : msg(`${A}.form.newTitle`),
        o,
        values,
        errors,
        errorList: errorSummary(errors, formFieldOrder),
        formAction: o ? `/admin/opportunities/${o.id}/edit` : '/admin/opportunities/new',
        typeItems: opportunityTypes.map(item('type', values.type)),
        modeItems: opportunityModes.map(item('mode', values.mode)),
        feeUnitItems: feeUnits.map(item('feeUnit', values.feeUnit)),
        expenseItems: expenseKinds.map(item('expenses', values.expensesCovered)),
        supportItems: supportKinds.map(item('support', values.support)),
        termItems: profile
          .termsByCategory(terms)
          .filter((c) => c.terms.length)
          .flatMap((c) => c.terms.map((term) => ({ value: String(term.id), text: term.label, checked: sought.includes(String(term.id)) }))),
        regionItems: [
          { value: '', text: t('opportunities.anywhere') },
          ...regionOptions.map((r) => ({ value: r, text: t(regionKey(r), { defaultValue: r }), selected: values.region === r })),
        ],
      },
      status,
    );
  }

  async function renderOne(
    reply: FastifyReply,
    o: OpportunityRow,
    extra: { saved?: string; notice?: string; values?: Record<string, unknown>; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const errors = extra.errors ?? {};
    const terms = o.soughtTermIds.length ? await profile.terms(true) : [];
    return reply.render(
      'opportunities/views/admin/opportunity.njk',
      {
        pageTitle: o.title,
        o: presented(o, reply.request.tr, terms),
        statusText: t(`${A}.status.${o.status}`),
        questions: await opportunities.questions(o.id),
        saved: extra.saved && savedKinds.includes(extra.saved) ? t(`${A}.saved.${extra.saved}`) : undefined,
        notice: extra.notice ? t(`${A}.notices.${extra.notice}`) : undefined,
        values: extra.values ?? closingParts('closesAt', o.closesAt),
        errors,
        errorList: errorSummary(errors, ['closesAt']),
      },
      status,
    );
  }

  app.get<{ Querystring: Record<string, unknown> }>('/admin/opportunities', async (req, reply) => {
    const q = validateForm(AdminListQuerySchema, req.query);
    const status = q.ok ? q.value.status : 'open';
    const [items, counts] = await Promise.all([opportunities.withStatus(status), opportunities.counts()]);
    const { t } = req.tr;
    return reply.render('opportunities/views/admin/list.njk', {
      pageTitle: msg(`${A}.list.title`),
      status,
      statusLabel: t(`${A}.status.${status}`),
      tabs: opportunityStatuses.map((s) => ({ value: s, text: t(`${A}.status.${s}`), count: counts[s] ?? 0, current: s === status })),
      items: items.map((o) => ({ ...o, typeText: t(`opportunities.options.type.${o.type}`) })),
    });
  });

  app.get('/admin/opportunities/new', async (req, reply) =>
    renderForm(reply, null, {
      type: 'peer-review',
      mode: 'online',
      paid: 'yes',
      feeUnit: 'hour',
      places: '1',
      contactName: me(req).name,
      contactEmail: me(req).email,
    }),
  );

  app.post('/admin/opportunities/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await opportunities.create(me(req), form);
    if (!result.ok) return renderForm(reply, null, form, result.errors, 400);
    return reply.redirect(`/admin/opportunities/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams & { Querystring: { saved?: string } }>('/admin/opportunities/:id', async (req, reply) =>
    renderOne(reply, await find(req.params.id), { saved: req.query.saved }),
  );

  app.get<IdParams>('/admin/opportunities/:id/edit', async (req, reply) => {
    const o = await find(req.params.id);
    if (o.status === 'archived') return renderOne(reply, o, { notice: 'archived' }, 409);
    return renderForm(reply, o, formValues(o));
  });

  app.post<IdParams>('/admin/opportunities/:id/edit', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await opportunities.update(o, form);
    if (!result.ok) {
      if (result.errors.form) return renderOne(reply, o, { notice: 'archived' }, 409);
      return renderForm(reply, o, form, result.errors, 400);
    }
    return reply.redirect(`/admin/opportunities/${o.id}?saved=changed`, 303);
  });

  // Each step of the life cycle: done (303 to the page), or a 409 saying why not.
  const afterStep = (reply: FastifyReply, o: OpportunityRow, outcome: StepOutcome, saved: string) =>
    outcome.kind === 'done'
      ? reply.redirect(`/admin/opportunities/${o.id}?saved=${saved}`, 303)
      : renderOne(reply, o, { notice: 'wrongState' }, 409);

  app.post<IdParams>('/admin/opportunities/:id/publish', async (req, reply) => {
    const o = await find(req.params.id);
    const outcome = await opportunities.publish(o, me(req));
    if (outcome.kind === 'closing-passed') return renderOne(reply, o, { notice: 'closingPassed' }, 409);
    return afterStep(reply, o, outcome, 'published');
  });

  app.post<IdParams>('/admin/opportunities/:id/close', async (req, reply) => {
    const o = await find(req.params.id);
    return afterStep(reply, o, await opportunities.close(o, me(req)), 'closed');
  });

  app.post<IdParams>('/admin/opportunities/:id/closing-date', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await opportunities.changeClosingTime(o, me(req), form);
    if (!result.ok) return renderOne(reply, o, { values: form, errors: result.errors }, 400);
    return afterStep(reply, o, result.value, o.status === 'closed' ? 'reopened' : 'extended');
  });

  app.post<IdParams>('/admin/opportunities/:id/selection-done', async (req, reply) => {
    const o = await find(req.params.id);
    return afterStep(reply, o, await opportunities.selectionDone(o, me(req)), 'selection-done');
  });

  app.post<IdParams>('/admin/opportunities/:id/archive', async (req, reply) => {
    const o = await find(req.params.id);
    return afterStep(reply, o, await opportunities.archive(o, me(req)), 'archived');
  });
}
