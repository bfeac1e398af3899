import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';

// A contributor's bank details, only while the organisation collects them: given once, then shown
// as the last four digits; they can replace or remove them at any time.
export default async function bankDetailsRoutes(app: FastifyInstance) {
  const { bankDetails } = app.services;
  app.addHook('onRequest', requireContributor);

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const [collecting, summary] = await Promise.all([bankDetails.collecting(), bankDetails.summaryOf(req.currentUser!.id)]);
    // Not collected and nothing held: there is no such page.
    if (!collecting && !summary) throw notFound('page');
    const q = req.query as Record<string, unknown>;
    return reply.render(
      'involvement/views/finance/bank-details.njk',
      {
        pageTitle: msg('finance.bankDetails.title'),
        collecting,
        summary,
        values,
        saved: q.saved === 'saved' || q.saved === 'removed' ? q.saved : null,
        errors,
        errorList: errorSummary(errors, ['accountName', 'sortCode', 'accountNumber']),
      },
      status,
    );
  }

  app.get('/profile/bank-details', async (req, reply) => render(req, reply));

  app.post('/profile/bank-details', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await bankDetails.save(req.currentUser!, form);
    // Nothing typed is echoed back but the name: the digits are not put back into the page.
    if (!result.ok) return render(req, reply, { accountName: form.accountName }, result.errors, 400);
    return reply.redirect('/profile/bank-details?saved=saved', 303);
  });

  app.post('/profile/bank-details/remove', async (req, reply) => {
    await bankDetails.remove(req.currentUser!);
    return reply.redirect((await bankDetails.collecting()) ? '/profile/bank-details?saved=removed' : '/profile', 303);
  });
}
