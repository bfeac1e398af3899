import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { MAX_MILES_LIMIT, requiredColumns, settingsForm } from './finance-settings.ts';
import { financeColumns } from './settings.ts';

const order = ['retentionYears', 'yearWarning', 'collectBankDetails', ...financeColumns.map((c) => `position-${c}`), 'maxMiles'];

// Payments settings: admins only (finance staff use them but do not set them).
export default async function financeSettingsRoutes(app: FastifyInstance) {
  const { financeSettings, paymentSettings } = app.services;
  const hasKey = !!app.featureContext.config.bankDetailsKey;
  app.addHook('onRequest', requireAdmin);

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> | null,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const shown = values ?? settingsForm(await paymentSettings.get());
    return reply.render(
      'involvement/views/finance/settings.njk',
      {
        pageTitle: msg('finance.admin.settings.title'),
        values: shown,
        columns: financeColumns.map((c) => ({ key: c, required: requiredColumns.includes(c) })),
        columnCount: financeColumns.length,
        maxMilesLimit: MAX_MILES_LIMIT,
        hasKey,
        saved: (req.query as Record<string, unknown>).saved === 'yes',
        errors,
        errorList: errorSummary(errors, order),
      },
      status,
    );
  }

  app.get('/admin/finance/settings', async (req, reply) => render(req, reply, null));

  app.post('/admin/finance/settings', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await financeSettings.update(req.currentUser!, form);
    if (!result.ok) return render(req, reply, form, result.errors, 400);
    return reply.redirect('/admin/finance/settings?saved=yes', 303);
  });
}
