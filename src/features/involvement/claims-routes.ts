import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { afterSave, receiptUploads, renderClaimForm, splitUpload } from './claim-form-page.ts';
import { presentClaim } from './claim-page.ts';
import { editable } from './claim-steps.ts';
import type { Declaration, DeclarationAnswers } from './claims-declaration.ts';
import type { ClaimRow } from './claims-repository.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';

type IdParams = { Params: { id: string } };
type RecordParams = { Params: { recordId: string } };
const V = 'involvement/views/claims';
const savedNotices = ['draft', 'sent', 'withdraw-refused', 'nothing-to-pay', 'not-editable'];
const yesNo = ['yes', 'no'];

// A contributor's own claims: the form from one of their records, the claim's page, the questions
// before a first paid claim of a tax year, withdrawing a draft, and their receipts. Anyone else's
// claim or record answers 404, as if it did not exist.
export default async function claimsRoutes(app: FastifyInstance) {
  const { claims } = app.services;
  app.addHook('onRequest', requireContributor);

  async function ownClaim(userId: string, rawId: string) {
    const found = await claims.byIdForOwner(userId, idOrNotFound(rawId, 'claim'));
    if (!found) throw notFound('claim');
    return found;
  }

  app.get<IdParams & { Querystring: Record<string, unknown> }>('/profile/claims/:id', async (req, reply) => {
    const found = await ownClaim(req.currentUser!.id, req.params.id);
    const saved = typeof req.query.saved === 'string' && savedNotices.includes(req.query.saved) ? req.query.saved : null;
    return reply.render(`${V}/claim.njk`, {
      pageTitle: msg('claims.page.title', { reference: `C${found.claim.id}` }),
      ...presentClaim(req.tr, found),
      saved,
      receiptsLinked: true,
    });
  });

  app.get<{ Params: { id: string; expenseId: string } }>('/profile/claims/:id/receipts/:expenseId', async (req, reply) => {
    const found = await claims.receipt(
      req.currentUser!,
      idOrNotFound(req.params.id, 'claim'),
      idOrNotFound(req.params.expenseId, 'receipt'),
    );
    if (!found) throw notFound('receipt');
    const name = found.expense.receiptName ?? 'receipt';
    return sendPrivateFile(reply, { body: found.body, name, contentType: found.expense.receiptType ?? 'application/octet-stream' });
  });

  app.post<IdParams>('/profile/claims/:id/withdraw', async (req, reply) => {
    const found = await ownClaim(req.currentUser!.id, req.params.id);
    const result = await claims.withdraw(req.currentUser!, found.claim.id);
    if (!result.ok) return reply.redirect(`/profile/claims/${found.claim.id}?saved=withdraw-refused`, 303);
    return reply.redirect('/profile/involvement?saved=withdrawn', 303);
  });

  function renderBeforeYouSend(
    reply: FastifyReply,
    claim: ClaimRow,
    d: Declaration,
    values: Partial<DeclarationAnswers> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const radios = (name: keyof DeclarationAnswers, options: string[]) =>
      options.map((o) => ({ value: o, text: t(`claims.beforeYouSend.${name}.${o}`), checked: values[name] === o }));
    return reply.render(
      `${V}/before-you-send.njk`,
      {
        pageTitle: msg('claims.beforeYouSend.title'),
        claim,
        d,
        paymentItems: radios('payment', ['fee', 'vouchers', 'declined']),
        partOfJobItems: radios('partOfJob', yesNo),
        employerAllowsItems: radios('employerAllows', ['yes', 'no', 'not-sure']),
        errors,
        errorList: errorSummary(errors, ['payment', 'partOfJob', 'employerAllows']),
      },
      status,
    );
  }

  app.get<IdParams>('/profile/claims/:id/before-you-send', async (req, reply) => {
    const { claim } = await ownClaim(req.currentUser!.id, req.params.id);
    const d = claim.status === 'draft' || claim.status === 'returned' ? await claims.declarationFor(req.currentUser!.id, claim) : null;
    // Nothing to ask (already answered this tax year, or nothing paid): back to the claim.
    if (!d) return reply.redirect(`/profile/claims/${claim.id}`, 303);
    return renderBeforeYouSend(reply, claim, d, { payment: claim.feeChoice });
  });

  app.post<IdParams>('/profile/claims/:id/before-you-send', async (req, reply) => {
    const { claim } = await ownClaim(req.currentUser!.id, req.params.id);
    const result = await claims.confirmAndSend(req.currentUser!, claim.id, trimmed(req.body));
    if (result.kind === 'invalid') return renderBeforeYouSend(reply, claim, result.declaration, result.values, result.errors, 400);
    const saved = result.kind === 'sent' ? 'sent' : result.kind;
    return reply.redirect(`/profile/claims/${claim.id}?saved=${saved}`, 303);
  });

  await uploadRoutes(app, receiptUploads, (uploads) => {
    uploads.get<RecordParams>('/profile/involvement/:recordId/claim', async (req, reply) => {
      const f = await claims.formFor(req.currentUser!, idOrNotFound(req.params.recordId, 'record'), false);
      // A claim that has been sent is read on its own page; it is changed only if returned.
      if (f.claim && !editable(f.claim.status)) return reply.redirect(`/profile/claims/${f.claim.id}`, 303);
      return renderClaimForm(reply, f, { action: `/profile/involvement/${f.record.id}/claim`, back: '/profile/involvement', staff: false });
    });
    uploads.post<RecordParams>('/profile/involvement/:recordId/claim', async (req, reply) => {
      const recordId = idOrNotFound(req.params.recordId, 'record');
      const user = req.currentUser!;
      const f = await claims.formFor(user, recordId, false);
      const opts = { action: `/profile/involvement/${recordId}/claim`, back: '/profile/involvement', staff: false };
      if (unreadableUpload(req.body))
        return renderClaimForm(reply, f, { ...opts, errors: { form: msg('claims.validation.unreadable') } }, 400);
      const { form, files } = splitUpload(req.body);
      const result = await claims.createOrUpdate(user, recordId, form, files, { onBehalf: false });
      if (result.kind === 'invalid') return renderClaimForm(reply, f, { ...opts, values: result.values, errors: result.errors }, 400);
      return reply.redirect(afterSave(`/profile/claims/${result.outcome.claim.id}`, result.outcome), 303);
    });
  });
}
