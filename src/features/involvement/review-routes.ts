import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import { createClaimPage } from './review-page.ts';
import type { DecisionResult } from './review-service.ts';
import { claimStatuses, type ClaimStatus } from './tables.ts';

const P = 'claimReview.admin';
type IdParams = { Params: { id: string } };
const savedKinds = ['approved', 'returned', 'rejected', 'entered'];
const statusOf = (v: unknown): ClaimStatus =>
  (claimStatuses as readonly unknown[]).includes(v) && v !== 'draft' ? (v as ClaimStatus) : 'submitted';

// Staff review claims: what is waiting for each person to approve, every claim by status (for
// admins and involvement staff), and a claim's page with approve, return and reject.
export default async function reviewRoutes(app: FastifyInstance) {
  const { claimReview } = app.services;
  const claimPage = createClaimPage(app.featureContext.db, app.featureContext);
  app.addHook('onRequest', requireStaff);

  app.get<{ Querystring: Record<string, unknown> }>('/admin/claims', async (req, reply) => {
    const user = req.currentUser!;
    const everyClaim = canSeeRegister(user);
    const status = statusOf(req.query.status);
    const [waiting, counts, listed] = await Promise.all([
      claimReview.waitingFor(user),
      everyClaim ? claimReview.counts() : null,
      everyClaim ? claimReview.withStatus(status) : null,
    ]);
    return reply.render('involvement/views/review/list.njk', {
      pageTitle: msg(`${P}.list.title`),
      waiting,
      status,
      statuses: counts
        ? claimStatuses.filter((s) => s !== 'draft').map((s) => ({ status: s, count: counts[s], current: s === status }))
        : null,
      listed,
    });
  });

  async function renderClaim(req: FastifyRequest, reply: FastifyReply, id: number, errors: FieldErrors = {}, status = 200) {
    const page = await claimPage(req.currentUser!, id);
    const saved = (req.query as Record<string, unknown>).saved;
    return reply.render(
      'involvement/views/review/claim.njk',
      {
        pageTitle: msg(`${P}.claim.title`, { reference: page.reference }),
        ...page,
        values: status === 200 ? {} : trimmed(req.body),
        errors,
        errorList: errorSummary(errors, ['form', 'comment', 'reason']),
        saved: typeof saved === 'string' && savedKinds.includes(saved) ? saved : null,
      },
      status,
    );
  }

  app.get<IdParams>('/admin/claims/:id', async (req, reply) => renderClaim(req, reply, idOrNotFound(req.params.id, 'claim')));

  const decide = (path: string, act: (req: FastifyRequest<IdParams>, id: number) => Promise<DecisionResult>) =>
    app.post<IdParams>(`/admin/claims/:id/${path}`, async (req, reply) => {
      const id = idOrNotFound(req.params.id, 'claim');
      const result = await act(req, id);
      if (!result.ok) return renderClaim(req, reply, id, result.errors, result.status);
      return reply.redirect(`/admin/claims/${id}?saved=${result.value.status}`, 303);
    });
  decide('approve', (req, id) => claimReview.approve(req.currentUser!, id));
  decide('return', (req, id) => claimReview.returnForChanges(req.currentUser!, id, trimmed(req.body)));
  decide('reject', (req, id) => claimReview.reject(req.currentUser!, id, trimmed(req.body)));
}
