import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireFinance } from '#src/platform/identity/plugin.ts';
import type { ExportRow } from './finance-repository.ts';
import { warningFor } from './finance-reports.ts';
import { WAITING_SHOWN } from './finance-service.ts';
import { taxYearOf } from './money.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';

const V = 'involvement/views/finance';
type IdParams = { Params: { id: string } };

// A download's file name, safe in a header whatever was typed.
const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

// Finance (admins and finance staff): approved claims sent to finance as a CSV, exports marked paid
// in bulk, receipts and payees (bank details, audited on every view).
export default async function financeRoutes(app: FastifyInstance) {
  const { finance, bankDetails, paymentSettings } = app.services;
  app.addHook('onRequest', requireFinance);
  const me = (req: FastifyRequest) => req.currentUser!;
  const saved = (req: FastifyRequest) => (req.query as Record<string, unknown>).saved;

  async function renderHome(req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) {
    const [totals, waiting, exports] = await Promise.all([finance.waitingTotals(), finance.waiting(), finance.exports()]);
    return reply.render(
      `${V}/index.njk`,
      {
        pageTitle: msg('finance.admin.home.title'),
        totals,
        waiting,
        more: totals.count > WAITING_SHOWN,
        exports,
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  }

  async function findExport(raw: string): Promise<ExportRow> {
    const e = await finance.exportById(idOrNotFound(raw, 'export'));
    if (!e) throw notFound('export');
    return e;
  }

  async function renderExport(
    req: FastifyRequest,
    reply: FastifyReply,
    e: ExportRow,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const lines = await finance.lines(e.id);
    return reply.render(
      `${V}/export.njk`,
      {
        pageTitle: msg('finance.admin.export.title', { id: e.id }),
        e,
        lines,
        values,
        today: todayInLondon(),
        saved: saved(req),
        errors,
        errorList: errorSummary(errors, ['paidOn', 'paymentReference']),
      },
      status,
    );
  }

  app.get('/admin/finance', async (req, reply) => renderHome(req, reply));

  app.post('/admin/finance/exports', async (req, reply) => {
    const result = await finance.createExport(me(req));
    if (!result.ok) return renderHome(req, reply, result.errors, 409);
    return reply.redirect(`/admin/finance/exports/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams>('/admin/finance/exports/:id.csv', async (req, reply) => {
    const e = await findExport(req.params.id);
    const body = await finance.csv(me(req), e, req.tr);
    return reply
      .header('content-disposition', attachment(`finance-export-${e.id}.csv`))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .type('text/csv; charset=utf-8')
      .send(body);
  });

  app.get<IdParams>('/admin/finance/exports/:id', async (req, reply) => renderExport(req, reply, await findExport(req.params.id)));

  app.post<IdParams>('/admin/finance/exports/:id/paid', async (req, reply) => {
    const e = await findExport(req.params.id);
    const form = trimmed(req.body);
    const result = await finance.markPaid(me(req), e.id, form);
    if (!result.ok) return renderExport(req, reply, e, form, result.errors, result.errors.form ? 409 : 400);
    return reply.redirect(`/admin/finance/exports/${e.id}?saved=paid`, 303);
  });

  app.get<{ Params: { id: string; expenseId: string } }>('/admin/finance/claims/:id/receipts/:expenseId', async (req, reply) => {
    const claimId = idOrNotFound(req.params.id, 'receipt');
    const expenseId = idOrNotFound(req.params.expenseId, 'receipt');
    const file = await finance.receipt(me(req), claimId, expenseId);
    if (!file) throw notFound('receipt');
    return sendPrivateFile(reply, { body: file.body, name: file.fileName, contentType: file.contentType });
  });

  app.get<IdParams>('/admin/finance/payees/:id', async (req, reply) => {
    const payee = await finance.payeeById(idOrNotFound(req.params.id, 'payee'));
    if (!payee) throw notFound('payee');
    const year = taxYearOf(todayInLondon());
    const [details, totals, list, settings] = await Promise.all([
      bankDetails.forFinance(me(req), payee),
      finance.yearTotals(payee.id, year),
      finance.claimsOfPayee(payee.id),
      paymentSettings.get(),
    ]);
    return reply.render(`${V}/payee.njk`, {
      pageTitle: msg('finance.admin.payee.title', { reference: payee.reference }),
      payee,
      details,
      unreadable: !!payee.bankDetailsEncrypted && !bankDetails.hasKey(),
      year,
      totals,
      warning: warningFor(totals.paidFeesPence + totals.onTheWayPence, settings.yearWarningPence),
      list,
    });
  });
}
