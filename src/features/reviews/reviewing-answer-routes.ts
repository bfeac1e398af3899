import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, type ErrorSummaryItem, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { answerFields, checkRows } from './reviewing-answers-page.ts';
import { presentReview } from './reviewing-presenting.ts';
import { openedOr404, V } from './reviewing-routes.ts';
import { formatKinds, requestFieldOrder } from './reviewing-schema.ts';
import { refusalFor, type Opened } from './reviewing-state.ts';

type IdParams = { Params: { id: string } };
const R = 'reviewing';

// The questions, checking one's answers, sending the review, and asking for another format or
// more time (README "Document reviews"). Every page here reads the review: 404 otherwise.
export default async function reviewingAnswerRoutes(app: FastifyInstance) {
  const { reviewing } = app.services;
  app.addHook('onRequest', requireContributor);
  const base = (o: Opened) => `/profile/reviews/${o.review.id}`;

  async function renderQuestions(
    req: FastifyRequest,
    reply: FastifyReply,
    o: Opened,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const questions = await reviewing.questions(o.review.id);
    const fields = answerFields(req.tr, questions, values, errors);
    return reply.render(
      `${V}/questions.njk`,
      {
        pageTitle: msg(`${R}.questions.title`),
        r: presentReview(req.tr, o),
        fields,
        values,
        nameItems: ['yes', 'no'].map((v) => ({
          value: v,
          text: req.tr.t(`${R}.questions.name.${v}`),
          checked: values.nameInSummary === v,
        })),
        errors,
        errorList: errorSummary(errors, [...fields.map((f) => f.name), 'hours', 'nameInSummary']),
      },
      status,
    );
  }

  async function renderCheck(req: FastifyRequest, reply: FastifyReply, o: Opened, errorList: ErrorSummaryItem[] = [], status = 200) {
    const [sections, comments, questions, answers] = await Promise.all([
      reviewing.sections(o.review.id),
      reviewing.comments(o.reviewer.id),
      reviewing.questions(o.review.id),
      reviewing.answers(o.reviewer.id),
    ]);
    const r = presentReview(req.tr, o);
    return reply.render(
      `${V}/check.njk`,
      {
        pageTitle: msg(`${R}.check.title`),
        r,
        ...checkRows(req.tr, { o, sections, comments, questions, answers, editable: r.editable }),
        errorList,
      },
      status,
    );
  }

  app.get<IdParams>('/profile/reviews/:id/questions', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    // Sent or closed: what they sent, read only.
    if (refusalFor(o)) return reply.redirect(`${base(o)}/check`, 303);
    return renderQuestions(req, reply, o, await reviewing.answerValues(o));
  });

  app.post<IdParams>('/profile/reviews/:id/questions', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    const form = trimmed(req.body);
    const outcome = await reviewing.saveAnswers(o, form);
    if (outcome.kind === 'invalid') return renderQuestions(req, reply, o, form, outcome.errors, 400);
    if (outcome.kind === 'refused')
      return renderCheck(req, reply, o, [{ text: req.tr.t(`${R}.refused.${outcome.why}`), href: base(o) }], 409);
    return reply.redirect(`${base(o)}/check`, 303);
  });

  app.get<IdParams>('/profile/reviews/:id/check', async (req, reply) => renderCheck(req, reply, await openedOr404(app, req, true)));

  app.post<IdParams>('/profile/reviews/:id/submit', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    const outcome = await reviewing.submit(o);
    const t = req.tr.t;
    switch (outcome.kind) {
      case 'submitted':
        return reply.redirect(`${base(o)}/thanks`, 303);
      case 'refused':
        return renderCheck(req, reply, o, [{ text: t(`${R}.refused.${outcome.why}`), href: base(o) }], 409);
      case 'empty':
        return renderCheck(req, reply, o, [{ text: t(`${R}.check.empty`), href: `${base(o)}#contents` }], 400);
      case 'missing':
        return renderCheck(
          req,
          reply,
          o,
          outcome.questions.map((q) => ({ text: t(`${R}.check.missing`, { label: q.label }), href: `${base(o)}/questions#q${q.id}` })),
          400,
        );
    }
  });

  app.get<IdParams>('/profile/reviews/:id/thanks', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    if (o.reviewer.state !== 'submitted') return reply.redirect(base(o), 303);
    return reply.render(`${V}/thanks.njk`, { pageTitle: msg(`${R}.thanks.title`), r: presentReview(req.tr, o) });
  });

  async function renderRequest(
    req: FastifyRequest,
    reply: FastifyReply,
    o: Opened,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const t = req.tr.t;
    return reply.render(
      `${V}/request.njk`,
      {
        pageTitle: msg(`${R}.request.title`),
        r: presentReview(req.tr, o),
        values,
        formatItems: formatKinds.map((f) => ({ value: f, text: t(`${R}.request.formats.${f}`), checked: values.format === f })),
        errors,
        errorList: errorSummary(errors, requestFieldOrder),
      },
      status,
    );
  }

  // Someone invited may ask too (large print may be what they need to decide).
  app.get<IdParams>('/profile/reviews/:id/request', async (req, reply) => renderRequest(req, reply, await openedOr404(app, req), {}));

  app.post<IdParams>('/profile/reviews/:id/request', async (req, reply) => {
    const o = await openedOr404(app, req);
    const form = trimmed(req.body);
    const outcome = await reviewing.request(o, form);
    if (outcome.kind === 'invalid') return renderRequest(req, reply, o, form, outcome.errors, 400);
    if (outcome.kind === 'refused') return renderRequest(req, reply, o, form, { kind: msg(`${R}.refused.${outcome.why}`) }, 409);
    return reply.redirect(`${base(o)}?saved=request`, 303);
  });
}
