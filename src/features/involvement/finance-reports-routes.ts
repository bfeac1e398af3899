import type { FastifyInstance, FastifyRequest } from 'fastify';
import { todayInLondon } from '#src/lib/date-field.ts';
import { msg } from '#src/lib/messages.ts';
import { requireFinance } from '#src/platform/identity/plugin.ts';
import { readTaxYear, recentTaxYears, spendDimensions } from './finance-reports.ts';
import { taxYearOf } from './money.ts';

const V = 'involvement/views/finance';

// The tax year asked for (?year=2026-27), read leniently: anything else is this tax year.
function chosenYear(req: FastifyRequest) {
  const current = taxYearOf(todayInLondon());
  const year = readTaxYear((req.query as Record<string, unknown>).year) ?? current;
  const years = recentTaxYears();
  return {
    year,
    current,
    yearItems: (years.includes(year) ? years : [year, ...years]).map((y) => ({ value: y, text: y, selected: y === year })),
  };
}

// Totals per person per tax year with the warning, and the spend and waiting reports.
export default async function financeReportsRoutes(app: FastifyInstance) {
  const { financeReports, paymentSettings } = app.services;
  app.addHook('onRequest', requireFinance);

  app.get('/admin/finance/people', async (req, reply) => {
    const { year, current, yearItems } = chosenYear(req);
    const { yearWarningPence } = await paymentSettings.get();
    const people = await financeReports.peopleInYear(year, yearWarningPence);
    return reply.render(`${V}/people.njk`, {
      pageTitle: msg('finance.admin.people.title'),
      year,
      current,
      yearItems,
      warnAt: yearWarningPence,
      people,
      warned: people.filter((p) => p.warning).length,
    });
  });

  app.get('/admin/finance/reports', async (req, reply) => {
    const { year, current, yearItems } = chosenYear(req);
    const [[kind, group, month], waiting, payment] = await Promise.all([
      Promise.all(spendDimensions.map((d) => financeReports.spendBy(d, year))),
      financeReports.waiting(new Date()),
      financeReports.daysToPayment(year),
    ]);
    return reply.render(`${V}/reports.njk`, {
      pageTitle: msg('finance.admin.reports.title'),
      year,
      current,
      yearItems,
      spend: { kind, group, month },
      waiting,
      payment,
      medianText: payment.medianDays === null ? null : req.tr.number(Math.round(payment.medianDays * 10) / 10),
    });
  });
}
