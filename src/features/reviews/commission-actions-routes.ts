import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { trimmed, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { prefixed, reviewPage, type StaffReview } from './commission-page.ts';

type IdParams = { Params: { id: string } };
type ItemParams = { Params: { id: string; itemId: string } };

// The actions on a review's staff page: open and close it, move the deadline, add, move and remove
// questions, invite reviewers (picked from the register or the suggestions, a whole group, an
// opportunity's selected applicants) and mark reviewers' requests handled. Each redirects back to
// the page (303) or shows it again with the form's errors.
export default async function commissionActionRoutes(app: FastifyInstance) {
  const { reviewCommission, reviewInvitations } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const page = reviewPage(app);
  const back = (id: number, saved: string, count?: number) =>
    `/admin/reviews/${id}?saved=${saved}${count === undefined ? '' : `&count=${count}`}`;

  // The page again with one form's errors: a refusal of the whole action is 409, a mistake 400.
  const again = (reply: FastifyReply, found: StaffReview, prefix: string, form: Record<string, unknown>, errors: FieldErrors) => {
    const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k === 'q' ? k : `${prefix}-${k}`, v]));
    return page.render(reply, found, { values, errors: prefixed(prefix, errors) }, errors.form ? 409 : 400);
  };

  // One POST route: read the form, run the action, go back to the page or show it with the errors.
  function action<T>(
    url: string,
    prefix: string,
    run: (found: StaffReview, form: Record<string, unknown>, staff: CurrentUser) => Promise<Result<T>>,
    saved: string | ((value: T) => [string, number?]),
  ) {
    app.post<IdParams>(url, async (req, reply) => {
      const found = await page.find(req.params.id);
      const form = trimmed(req.body);
      const result = await run(found, form, req.currentUser!);
      if (!result.ok) return again(reply, found, prefix, form, result.errors);
      const [word, count] = typeof saved === 'string' ? [saved] : saved(result.value);
      return reply.redirect(back(found.review.id, word, count), 303);
    });
  }

  action(
    '/admin/reviews/:id/open',
    'open',
    (f, _form, staff) => reviewCommission.open(staff, f.review),
    (v) => ['opened', v.emailed],
  );
  action('/admin/reviews/:id/close', 'close', (f, _form, staff) => reviewCommission.close(staff, f.review), 'closed');
  action('/admin/reviews/:id/deadline', 'deadline', (f, form, staff) => reviewCommission.changeDeadline(staff, f.review, form), 'deadline');
  action('/admin/reviews/:id/questions', 'question', (f, form, staff) => reviewCommission.questions.add(staff, f.review, form), 'question');

  const invited = (v: { invited: number }): [string, number] => ['invited', v.invited];
  action('/admin/reviews/:id/reviewers', 'add', (f, form, staff) => reviewInvitations.inviteChosen(staff, f.review.id, form), invited);
  action(
    '/admin/reviews/:id/reviewers/group',
    'group',
    (f, form, staff) => reviewInvitations.inviteGroup(staff, f.review.id, form),
    invited,
  );
  action(
    '/admin/reviews/:id/reviewers/opportunity',
    'opportunity',
    (f, form, staff) => reviewInvitations.inviteOpportunity(staff, f.review.id, form),
    invited,
  );

  app.post<ItemParams>('/admin/reviews/:id/questions/:itemId/move', async (req, reply) => {
    const found = await page.find(req.params.id);
    const id = idOrNotFound(req.params.itemId, 'question');
    const result = await reviewCommission.questions.move(req.currentUser!, found.review, id, trimmed(req.body));
    if (!result.ok) return page.render(reply, found, { errors: result.errors }, 400);
    if (result.value === 'gone') throw notFound('question');
    return reply.redirect(`${back(found.review.id, 'question')}#question-${id}`, 303);
  });

  app.post<ItemParams>('/admin/reviews/:id/questions/:itemId/remove', async (req, reply) => {
    const found = await page.find(req.params.id);
    const result = await reviewCommission.questions.remove(req.currentUser!, found.review, idOrNotFound(req.params.itemId, 'question'));
    if (!result.ok) return page.render(reply, found, { errors: result.errors }, 409);
    if (result.value === 'gone') throw notFound('question');
    return reply.redirect(back(found.review.id, 'question'), 303);
  });

  app.post<ItemParams>('/admin/reviews/:id/requests/:itemId/handled', async (req, reply) => {
    const found = await page.find(req.params.id);
    const requestId = idOrNotFound(req.params.itemId, 'request');
    const form = trimmed(req.body);
    const result = await reviewCommission.handleRequest(req.currentUser!, found.review, requestId, form);
    if (!result.ok) return again(reply, found, `request-${requestId}`, form, result.errors);
    if (result.value === 'gone') throw notFound('request');
    return reply.redirect(back(found.review.id, 'handled'), 303);
  });
}
