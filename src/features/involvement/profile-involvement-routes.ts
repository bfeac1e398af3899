import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvRow } from '#src/lib/csv.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { hoursAndMinutes } from './claim-form-page.ts';
import { statusTagClass } from './claim-page.ts';

const V = 'involvement/views/records';
const P = 'involvement.mine';
const notices = ['withdrawn'];

// "What I have done": a contributor's own involvement records, newest first, with what difference
// each made (when staff wrote it), totals per tax year, this year's money, and each record's claim;
// as a page, a CSV file and a printable page for a CV or a reference.
export default async function profileInvolvementRoutes(app: FastifyInstance) {
  const { involvementRecords, claims } = app.services;
  app.addHook('onRequest', requireContributor);

  async function involvementOf(req: FastifyRequest) {
    const tr = req.tr;
    const userId = req.currentUser!.id;
    const [rows, totals, money] = await Promise.all([
      involvementRecords.ofPerson(userId),
      involvementRecords.totalsOf(userId),
      claims.yearMoney(userId),
    ]);
    const roleText = (role: string) => (tr.has(`involvement.roles.${role}`) ? tr.t(`involvement.roles.${role}`) : role);
    return {
      records: rows.map(({ record: r, claimId, claimStatus }) => ({
        id: r.id,
        date: r.occurredOn,
        dateText: tr.date(new Date(`${r.occurredOn}T12:00:00Z`)),
        title: r.title,
        path: r.path,
        groupName: r.groupName,
        roleText: roleText(r.role),
        minutes: r.minutes,
        timeText: hoursAndMinutes(tr, r.minutes),
        difference: r.difference,
        claim:
          claimId && claimStatus
            ? { id: claimId, statusText: tr.t(`claims.status.${claimStatus}`), statusClass: statusTagClass[claimStatus] }
            : null,
      })),
      totals: totals.map((t) => ({ ...t, timeText: hoursAndMinutes(tr, t.minutes) })),
      money,
    };
  }

  app.get<{ Querystring: Record<string, unknown> }>('/profile/involvement', async (req, reply) =>
    reply.render(`${V}/mine.njk`, {
      pageTitle: msg(`${P}.title`),
      ...(await involvementOf(req)),
      // Only when the organisation collects bank details, or still holds this person's.
      bankDetails: (await app.services.bankDetails.collecting()) || !!(await app.services.bankDetails.summaryOf(req.currentUser!.id)),
      saved: typeof req.query.saved === 'string' && notices.includes(req.query.saved) ? req.query.saved : null,
    }),
  );

  app.get('/profile/involvement/print', async (req, reply) =>
    reply.render(`${V}/print.njk`, {
      pageTitle: msg(`${P}.print.title`),
      ...(await involvementOf(req)),
      name: req.currentUser!.name,
      orgName: (reply.locals.org as { name: string }).name,
      today: new Date(),
    }),
  );

  // Spreadsheet-safe (csvRow neutralises formulas), in the page's language.
  app.get('/profile/involvement.csv', async (req, reply) => {
    const { t } = req.tr;
    const { records } = await involvementOf(req);
    const head = ['date', 'activity', 'group', 'role', 'time', 'minutes', 'difference', 'claim'].map((c) => t(`${P}.csv.${c}`));
    const lines = records.map((r) =>
      csvRow([r.date, r.title, r.groupName, r.roleText, r.timeText, r.minutes, r.difference, r.claim?.statusText ?? '']),
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="involvement-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'private, no-store')
      .send('\uFEFF' + csvRow(head) + lines.join(''));
  });
}
