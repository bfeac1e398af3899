import type { Db } from '#src/db/client.ts';
import { csvRow } from '#src/lib/csv.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, type CurrentUser } from '#src/platform/identity/roles.ts';
import { readableProfile } from '#src/features/profile/readable-profile.ts';
import type { ExportRow } from '#src/features/profile/service.ts';
import type { PeopleQuery } from '#src/features/profile/search-schema.ts';
import { peopleQueryString } from '#src/features/profile/search-schema.ts';
import { termCategories } from '#src/features/profile/schema.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { createNotesRepository } from './repository.ts';
import { createRecordKeeping } from './record-service.ts';
import { exportColumns, NoteSchema, optionText, textFor, type ExportColumn } from './schema.ts';

export const PEOPLE_PER_PAGE = 50;
const EXPORT_BATCH = 1000;

const texts = (opts: readonly { value: string; text: string }[], values: string[] | null | undefined) =>
  (values ?? []).map((v) => textFor(opts, v)!);
const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

// The staff view of the contributor register: search, export, a person's page and notes. Every
// look at one person and every export is written to the audit log. Equality monitoring answers
// are never read here.
export function createPeopleService(db: Db, ctx: FeatureContext) {
  const notes = createNotesRepository(db);
  const { audit, identity, profile, dataRights } = ctx.services;
  const repo = profile.search;

  // A contributor's account, or null for anyone else (staff, unknown ids): staff never see a
  // staff account through the register.
  async function contributorAccount(id: string) {
    const account = await identity.findAccountById(id);
    return account && account.role === CONTRIBUTOR_ROLE ? account : null;
  }
  const records = createRecordKeeping(db, ctx, contributorAccount);

  return {
    ...records,

    async search(q: PeopleQuery, opts: { now?: Date; perPage?: number; gatherFirstBelow?: number } = {}) {
      const perPage = opts.perPage ?? PEOPLE_PER_PAGE;
      const found = await repo.search(q, { ...opts, perPage });
      return {
        total: found.total,
        pages: Math.max(1, Math.ceil(found.total / perPage)),
        items: found.items.map((r) => ({ ...r, interests: texts(optionText.interests, r.interests) })),
      };
    },

    // Counts first and writes the audit entry before a byte is sent, so an export cut short is
    // still on record. Rows are then read and sent a batch at a time, the column names in the
    // language of the page that asked (`tr`).
    async startExport(actor: CurrentUser, q: PeopleQuery, columns: ExportColumn[], tr: Pick<Translator, 't'>, now = new Date()) {
      const rowCount = await repo.count(q, now);
      await audit.record({
        actorUserId: actor.id,
        action: 'contributor.exported-by-staff',
        details: { filter: peopleQueryString({ ...q, page: 1 }) || '(everyone)', columns: ['name', ...columns].join(' '), rows: rowCount },
      });
      return { rowCount, rows: exportRows(q, columns, tr, now) };
    },

    async person(id: string) {
      const account = await contributorAccount(id);
      if (!account) return null;
      const [saved, terms, consents, written, steps, contacts] = await Promise.all([
        profile.profile(id),
        profile.chosenTerms(id),
        dataRights.consentsOf(id),
        notes.of(id),
        profile.stepsForStaff(id),
        records.contactsOf(id),
      ]);
      const authors = await identity.namesOf(written.flatMap((n) => (n.authorUserId ? [n.authorUserId] : [])));
      return {
        account: { id: account.id, name: account.name, email: account.email, joinedAt: account.createdAt },
        profile: readableProfile(saved),
        source: textFor(optionText.source, saved?.source),
        lastInvolvedAt: saved?.lastInvolvedAt ?? null,
        livedExperience: {
          groups: termCategories
            .map((c) => ({ text: c.text, terms: terms.filter((t) => t.category === c.value).map((t) => t.label) }))
            .filter((g) => g.terms.length),
          notes: saved?.livedExperienceNotes ?? null,
        },
        // Private steps (equality monitoring) are left out: staff do not learn whether someone answered.
        steps,
        consents,
        notes: written.map((n) => ({ ...n, authorName: n.authorUserId ? (authors.get(n.authorUserId) ?? null) : null })),
        contacts,
      };
    },

    async recordView(actor: CurrentUser, subjectUserId: string) {
      await audit.record({ actorUserId: actor.id, subjectUserId, action: 'contributor.viewed-by-staff' });
    },

    // What happened to and around this person: the audit trail about them and their consent events.
    async history(subjectUserId: string) {
      const [entries, consents] = await Promise.all([audit.list({ subject: subjectUserId }), dataRights.consentsOf(subjectUserId)]);
      const names = await identity.namesOf([...new Set(entries.items.map((e) => e.actorUserId).filter((a): a is string => !!a))]);
      const who = (actorId: string | null) =>
        !actorId
          ? msg('people.admin.history.nobody')
          : actorId === subjectUserId
            ? msg('people.admin.history.contributor')
            : (names.get(actorId) ?? msg('people.admin.formerStaff'));
      return [
        ...entries.items.map((e) => ({
          at: e.at,
          what: audit.describe(e.action),
          who: who(e.actorUserId),
        })),
        ...consents.map((c) => ({
          at: c.at,
          what: msg(c.action === 'given' ? 'people.admin.history.agreed' : 'people.admin.history.withdrew', {
            version: c.privacyNoticeVersion,
          }),
          who: msg('people.admin.history.contributor'),
        })),
      ].sort((a, b) => b.at.getTime() - a.at.getTime());
    },

    async addNote(actor: CurrentUser, subjectUserId: string, form: unknown): Promise<Result> {
      const v = validateForm(NoteSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        const noteId = await notes.add({ subjectUserId, authorUserId: actor.id, body: v.value.body }, tx);
        await audit.record({ actorUserId: actor.id, subjectUserId, action: 'contributor.note-added', details: { note: noteId } }, tx);
      });
      return ok();
    },

    // For "Download my data": when notes were written about the person, never what they say.
    noteDates: (subjectUserId: string) => notes.datesOf(subjectUserId),

    isContributor: async (id: string) => !!(await contributorAccount(id)),
  };

  async function* exportRows(q: PeopleQuery, columns: ExportColumn[], tr: Pick<Translator, 't'>, now: Date): AsyncGenerator<string> {
    yield csvRow([tr.t('people.admin.fields.name'), ...columns.map((c) => tr.t(exportColumns.find((e) => e.value === c)!.text))]);
    let after: { sortName: string; id: string } | null = null;
    for (;;) {
      const batch = await repo.exportBatch(q, after, EXPORT_BATCH, now);
      if (!batch.length) return;
      const terms = columns.includes('livedExperience')
        ? await repo.termsFor(batch.map((b) => b.profile.userId))
        : new Map<string, { category: string; label: string }[]>();
      let chunk = '';
      for (const row of batch) chunk += csvRow([row.name, ...columns.map((c) => cell(c, row, terms))]);
      yield chunk;
      const last = batch[batch.length - 1]!;
      after = { sortName: last.profile.sortName ?? '', id: last.profile.userId };
    }
  }
}
export type PeopleService = ReturnType<typeof createPeopleService>;

function cell(column: ExportColumn, row: ExportRow, terms: Map<string, { category: string; label: string }[]>): string {
  const p = row.profile;
  const list = (values: string[]) => values.join('; ');
  switch (column) {
    case 'email':
      return row.email;
    case 'joined':
      return day(row.joinedAt);
    case 'lastInvolved':
      return day(p.lastInvolvedAt);
    case 'source':
      return textFor(optionText.source, p.source) ?? '';
    case 'livedExperience':
      return list((terms.get(p.userId) ?? []).map((t) => `${textFor(termCategories, t.category)}: ${t.label}`));
    case 'contactMethods':
    case 'formats':
    case 'interests':
    case 'availableTimes':
    case 'availableWays':
    case 'accessNeeds':
      return list(texts(optionText[column], p[column]));
    case 'paymentPreference':
    case 'publicSectorEmployee':
      return textFor(optionText[column], p[column]) ?? '';
    default:
      return p[column] ?? '';
  }
}
