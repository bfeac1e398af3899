import type { FastifyInstance } from 'fastify';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { receiptUploads, renderClaimForm, splitUpload } from './claim-form-page.ts';

type RecordParams = { Params: { recordId: string } };
const savedNotices = ['draft'];

// Staff (admins and involvement staff) entering a claim on someone's behalf: the same form, the
// claim recorded as entered by them, and audited. The benefits questions are not asked here;
// instead staff confirm they went through the advice with a person who receives benefits.
export default async function claimsAdminRoutes(app: FastifyInstance) {
  const { claims, audit } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  await uploadRoutes(app, receiptUploads, (uploads) => {
    uploads.get<RecordParams & { Querystring: Record<string, unknown> }>(
      '/admin/involvement/records/:recordId/claim',
      async (req, reply) => {
        const staff = req.currentUser!;
        const f = await claims.formFor(staff, idOrNotFound(req.params.recordId, 'record'), true);
        // Someone's claim and whether they receive benefits are financial and personal: audited.
        await audit.record({
          actorUserId: staff.id,
          action: 'claim.viewed-for-someone',
          subjectUserId: f.record.userId,
          details: { recordId: f.record.id, claimId: f.claim?.id ?? null },
        });
        const action = `/admin/involvement/records/${f.record.id}/claim`;
        const saved = typeof req.query.saved === 'string' && savedNotices.includes(req.query.saved) ? req.query.saved : null;
        // Once sent, the claim is followed on the staff claim page (approval, history, receipts).
        if (f.claim && f.claim.status !== 'draft' && f.claim.status !== 'returned')
          return reply.redirect(`/admin/claims/${f.claim.id}`, 303);
        return renderClaimForm(reply, f, { action, back: '/admin', staff: true, saved });
      },
    );

    uploads.post<RecordParams>('/admin/involvement/records/:recordId/claim', async (req, reply) => {
      const recordId = idOrNotFound(req.params.recordId, 'record');
      const staff = req.currentUser!;
      const f = await claims.formFor(staff, recordId, true);
      const opts = { action: `/admin/involvement/records/${recordId}/claim`, back: '/admin', staff: true };
      if (unreadableUpload(req.body))
        return renderClaimForm(reply, f, { ...opts, errors: { form: msg('claims.validation.unreadable') } }, 400);
      const { form, files } = splitUpload(req.body);
      const result = await claims.createOrUpdate(staff, recordId, form, files, { onBehalf: true });
      if (result.kind === 'invalid') return renderClaimForm(reply, f, { ...opts, values: result.values, errors: result.errors }, 400);
      if (result.outcome.next === 'submitted') return reply.redirect(`/admin/claims/${result.outcome.claim.id}?saved=entered`, 303);
      return reply.redirect(`/admin/involvement/records/${recordId}/claim?saved=draft`, 303);
    });
  });
}
