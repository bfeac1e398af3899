import type { Translator } from '#src/lib/i18n.ts';
import { isStaff } from '#src/platform/identity/roles.ts';
import type { AccountLabel } from '#src/platform/identity/account-reads.ts';
import type { AuditFilterForm } from './schema.ts';
import type { AuditFilter, AuditRow, AuditService } from './service.ts';
import { londonMidnight } from './schema.ts';

// How the audit log names a person: a staff account (linked to the staff accounts page, with the
// role), a contributor (linked to their register entry), a deleted account by the start of its id,
// or nobody (something the system did by itself).
export type PersonCell = { text: string; href?: string; role?: string };

const ID_SHOWN = 8;

export function personCell(id: string | null, people: Map<string, AccountLabel>, { t }: Pick<Translator, 't'>): PersonCell {
  if (!id) return { text: t('audit.admin.table.nobody') };
  const account = people.get(id);
  if (!account) return { text: t('audit.admin.table.deleted', { id: id.slice(0, ID_SHOWN) }) };
  const href = `/admin/${isStaff(account) ? 'users' : 'people'}/${encodeURIComponent(id)}`;
  return { text: account.name, href, role: isStaff(account) ? t(`audit.admin.roles.${account.role}`) : undefined };
}

// The words of a person's cell on one line (a spreadsheet has no links).
export const personText = (cell: PersonCell) => (cell.role ? `${cell.text} (${cell.role})` : cell.text);

// Details are small facts (a format, a count, a filter); objects are shown as JSON.
export const detailPairs = (details: Record<string, unknown>) =>
  Object.entries(details).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));

export const actionWords = (audit: Pick<AuditService, 'actions'>, action: string, { t }: Pick<Translator, 't'>) =>
  audit.actions[action] ? t(audit.actions[action]) : action;

export function presentRows(
  rows: AuditRow[],
  people: Map<string, AccountLabel>,
  audit: Pick<AuditService, 'actions'>,
  tr: Pick<Translator, 't'>,
) {
  return rows.map((e) => ({
    at: e.at,
    action: actionWords(audit, e.action, tr),
    by: personCell(e.actorUserId, people, tr),
    about: personCell(e.subjectUserId, people, tr),
    details: detailPairs(e.details),
  }));
}

// The filters a form gave, as the service reads them: `to` is the whole of that day in the UK.
export function serviceFilter(f: AuditFilterForm): AuditFilter {
  let before: Date | undefined;
  if (f.to) {
    const next = new Date(Date.UTC(f.to.day.year, f.to.day.month - 1, f.to.day.day + 1));
    before = londonMidnight({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
  }
  return {
    person: f.person || undefined,
    action: f.action,
    from: f.from ? londonMidnight(f.from.day) : undefined,
    before,
    actor: f.actor,
    subject: f.subject,
    page: f.page,
  };
}

// The filters as the page's query string, as typed, so every link keeps them.
export function filterPairs(f: Partial<AuditFilterForm> & { from?: { raw: string }; to?: { raw: string } }): [string, string][] {
  const pairs: [string, string | undefined][] = [
    ['person', f.person || undefined],
    ['action', f.action],
    ['from', f.from?.raw],
    ['to', f.to?.raw],
    ['actor', f.actor],
    ['subject', f.subject],
  ];
  return pairs.filter((p): p is [string, string] => !!p[1]);
}

export const filterQuery = (f: AuditFilterForm, page = 1) => {
  const q = new URLSearchParams(filterPairs(f));
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/admin/audit?${s}` : '/admin/audit';
};
