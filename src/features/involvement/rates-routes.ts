import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { rateFieldOrder } from './rates-schema.ts';
import { rateUnits } from './tables.ts';

const P = 'rates.admin';
const savedKinds = ['added', 'removed'];

// The rate card (admins): every kind with its rate in force today and its history, a form to add
// a row, and removing a row that has not yet come into force.
export default async function ratesRoutes(app: FastifyInstance) {
  const { rates } = app.services;
  app.addHook('onRequest', requireAdmin);

  async function render(reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200, saved?: string) {
    const { t } = reply.request.tr;
    return reply.render(
      'involvement/views/rates/card.njk',
      {
        pageTitle: msg(`${P}.title`),
        card: await rates.card(),
        values,
        errors,
        errorList: errorSummary(errors, rateFieldOrder),
        saved: saved && savedKinds.includes(saved) ? saved : null,
        unitItems: rateUnits.map((u) => ({ value: u, text: t(`${P}.units.${u}`), checked: values.unit === u })),
      },
      status,
    );
  }

  app.get<{ Querystring: Record<string, unknown> }>('/admin/involvement/rates', async (req, reply) =>
    render(reply, {}, {}, 200, typeof req.query.saved === 'string' ? req.query.saved : undefined),
  );

  app.post('/admin/involvement/rates', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await rates.add(req.currentUser!, form);
    if (!result.ok) return render(reply, form, result.errors, 400);
    return reply.redirect('/admin/involvement/rates?saved=added', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/involvement/rates/:id/remove', async (req, reply) => {
    const result = await rates.removeFuture(req.currentUser!, idOrNotFound(req.params.id, 'rate'));
    if (!result.ok) return render(reply, {}, result.errors, 409);
    return reply.redirect('/admin/involvement/rates?saved=removed', 303);
  });
}
