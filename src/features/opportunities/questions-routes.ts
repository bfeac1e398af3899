import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { questionFieldOrder } from './questions-schema.ts';
import { questionFormValues, type QuestionOutcome } from './questions-service.ts';
import { questionKinds } from './tables.ts';

const V = 'opportunities/views/questions';
const Q = 'opportunity-staff.admin.questions';
const savedKinds = ['added', 'changed', 'removed', 'moved'] as const;
type Params = { id: string; questionId: string };

// The questions editor at /admin/opportunities/<id>/questions (README "Opportunities"). Moving a
// question is a button per direction, so the order can be changed without JavaScript.
export default async function questionRoutes(app: FastifyInstance) {
  const { opportunityQuestions: questions } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;
  const base = (id: number) => `/admin/opportunities/${id}/questions`;

  async function renderList(
    reply: FastifyReply,
    id: number,
    opts: { saved?: string; errors?: FieldErrors; archived?: boolean } = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const o = await questions.opportunity(id);
    const [list, locked] = await Promise.all([questions.of(id), questions.locked(id)]);
    const saved = savedKinds.find((s) => s === opts.saved);
    return reply.render(
      `${V}/list.njk`,
      {
        pageTitle: msg(`${Q}.list.title`, { title: o.title }),
        o,
        base: base(id),
        items: list.map((q, i) => ({
          ...q,
          kindText: t(`${Q}.kinds.${q.kind}`),
          welsh: Boolean(q.translations?.cy?.label),
          first: i === 0,
          last: i === list.length - 1,
        })),
        locked,
        archived: opts.archived || o.status === 'archived',
        saved: saved ? t(`${Q}.saved.${saved}`) : undefined,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      status,
    );
  }

  async function renderForm(
    reply: FastifyReply,
    id: number,
    questionId: number | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const [o, locked] = await Promise.all([questions.opportunity(id), questions.locked(id)]);
    return reply.render(
      `${V}/form.njk`,
      {
        pageTitle: msg(questionId ? `${Q}.form.changeTitle` : `${Q}.form.addTitle`, { title: o.title }),
        o,
        base: base(id),
        action: questionId ? `${base(id)}/${questionId}/edit` : `${base(id)}/new`,
        editing: questionId !== null,
        locked,
        values,
        kindItems: questionKinds.map((k) => ({ value: k, text: t(`${Q}.kinds.${k}`), checked: values.kind === k })),
        requiredItems: ['yes', 'no'].map((v) => ({ value: v, text: t(`${Q}.form.required.${v}`), checked: values.required === v })),
        errors,
        errorList: errorSummary(errors, questionFieldOrder),
      },
      status,
    );
  }

  // Done: back to the list with what was saved. Otherwise the form or the list says why not.
  function after(reply: FastifyReply, id: number, outcome: QuestionOutcome, saved: string, onForm?: (o: QuestionOutcome) => unknown) {
    if (outcome.kind === 'done') return reply.redirect(`${base(id)}?saved=${saved}`, 303);
    if (outcome.kind === 'archived') return renderList(reply, id, { archived: true }, 409);
    if (onForm) return onForm(outcome);
    return renderList(reply, id, { errors: outcome.errors }, outcome.kind === 'locked' ? 409 : 400);
  }

  app.get<{ Params: Params; Querystring: { saved?: string } }>('/admin/opportunities/:id/questions', async (req, reply) =>
    renderList(reply, idOrNotFound(req.params.id, 'opportunity'), { saved: req.query.saved }),
  );

  app.get<{ Params: Params }>('/admin/opportunities/:id/questions/new', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    if ((await questions.opportunity(id)).status === 'archived') return renderList(reply, id, { archived: true }, 409);
    return renderForm(reply, id, null, { kind: 'short-text', required: 'yes' });
  });

  app.post<{ Params: Params }>('/admin/opportunities/:id/questions/new', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const form = trimmed(req.body);
    const outcome = await questions.add(me(req), id, form);
    return after(reply, id, outcome, 'added', (o) => renderForm(reply, id, null, form, 'errors' in o ? o.errors : {}, 400));
  });

  app.get<{ Params: Params }>('/admin/opportunities/:id/questions/:questionId/edit', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const q = await questions.question(id, idOrNotFound(req.params.questionId, 'question'));
    if ((await questions.opportunity(id)).status === 'archived') return renderList(reply, id, { archived: true }, 409);
    return renderForm(reply, id, q.id, questionFormValues(q));
  });

  app.post<{ Params: Params }>('/admin/opportunities/:id/questions/:questionId/edit', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const questionId = idOrNotFound(req.params.questionId, 'question');
    const form = trimmed(req.body);
    const outcome = await questions.change(me(req), id, questionId, form);
    return after(reply, id, outcome, 'changed', (o) =>
      renderForm(reply, id, questionId, form, 'errors' in o ? o.errors : {}, o.kind === 'locked' ? 409 : 400),
    );
  });

  app.post<{ Params: Params }>('/admin/opportunities/:id/questions/:questionId/remove', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const outcome = await questions.remove(me(req), id, idOrNotFound(req.params.questionId, 'question'));
    return after(reply, id, outcome, 'removed');
  });

  app.post<{ Params: Params }>('/admin/opportunities/:id/questions/:questionId/move', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const questionId = idOrNotFound(req.params.questionId, 'question');
    const outcome = await questions.move(me(req), id, questionId, trimmed(req.body));
    if (outcome.kind === 'done') return reply.redirect(`${base(id)}?saved=moved#question-${questionId}`, 303);
    return after(reply, id, outcome, 'moved');
  });
}
