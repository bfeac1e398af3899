import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg, readMessage } from '#src/lib/messages.ts';
import { pagination } from '#src/lib/pagination.ts';
import { ExportSchema, exportColumns } from './schema.ts';
import { editableStepKeys, parsePersonId, stepTitles } from './person-pages.ts';
import {
  accessNeedsPresentOptions,
  lastInvolvedOptions,
  parsePeopleQuery,
  peopleQueryString,
  searchWords,
  sortOptions,
  sourceOptions,
  type PeopleQuery,
} from '#src/features/profile/search-schema.ts';
import { interestOptions, paymentOptions, regionOptions, termCategories, timeOptions, wayOptions } from '#src/features/profile/schema.ts';

const V = 'people/views';

// A message (msg()), a catalogue key or words already (an audit action's description, say).
const words = (tr: Translator, s: string) => (readMessage(s) ? tr.message(s) : tr.t(s));

// Involvement staff (and admins) search the contributor register, export what they found, and
// read and add to one person's record. Other staff and contributors are refused.
export default async function registerRoutes(app: FastifyInstance) {
  const { people, profile } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  // Checkbox and select items for the filter form, ticked as in the query.
  // Option words may be catalogue keys or words already; t() gives back words it has no key for.
  async function filterItems(q: PeopleQuery, { t }: Translator) {
    const ticked = (selected: readonly string[]) => (o: { value: string; text: string }) => ({
      value: o.value,
      text: t(o.text),
      checked: selected.includes(o.value),
    });
    const translated = <T extends { text: string }>(o: T) => ({ ...o, text: t(o.text) });
    const terms = await profile.terms(true);
    return {
      termGroups: termCategories
        .map((c) => ({
          text: t(c.text),
          id: `terms-${c.value}`,
          items: terms
            .filter((term) => term.category === c.value)
            .map((term) => ({
              value: String(term.id),
              text: term.archivedAt ? t('people.admin.search.archived', { term: term.label }) : term.label,
              checked: q.terms.includes(term.id),
            })),
        }))
        .filter((g) => g.items.length),
      interestItems: interestOptions.map(ticked(q.interests)),
      timeItems: timeOptions.map(ticked(q.times)),
      wayItems: wayOptions.map(ticked(q.ways)),
      paymentItems: paymentOptions.map(ticked(q.payment)),
      regionItems: [
        { value: '', text: t('people.admin.search.anywhere') },
        ...regionOptions.map((r) => ({ value: r, text: t(r), selected: q.region === r })),
      ],
      accessItems: [
        { value: '', text: t('people.admin.search.either'), checked: !q.accessNeeds },
        ...accessNeedsPresentOptions.map((o) => ({ ...translated(o), checked: q.accessNeeds === o.value })),
      ],
      lastInvolvedItems: [
        { value: '', text: t('people.admin.search.anyTime'), checked: !q.lastInvolved },
        ...lastInvolvedOptions.map((o) => ({ ...translated(o), checked: q.lastInvolved === o.value })),
      ],
      sourceItems: [
        { value: '', text: t('people.admin.search.any'), checked: !q.source },
        ...sourceOptions.map((o) => ({ ...translated(o), checked: q.source === o.value })),
      ],
      sortItems: sortOptions.map((o) => ({ ...translated(o), selected: (q.sort ?? (q.q ? 'relevance' : 'name')) === o.value })),
    };
  }

  // The filters as hidden fields, so the export form carries the search it was opened from.
  const hiddenFilters = (q: PeopleQuery) =>
    [...new URLSearchParams(peopleQueryString({ ...q, page: 1 }))].map(([name, value]) => ({ name, value }));

  app.get('/admin/people', async (req, reply) => {
    const q = parsePeopleQuery(req.query);
    const found = await people.search(q);
    const href = (n: number) => `/admin/people?${peopleQueryString(q, { page: n })}`;
    const filtered = peopleQueryString({ ...q, page: 1, sort: undefined }) !== '';
    return reply.render(`${V}/people.njk`, {
      pageTitle: q.page > 1 ? msg('people.admin.search.titlePage', { page: q.page }) : msg('people.admin.search.title'),
      query: q,
      unusableSearch: q.q !== '' && searchWords(q.q).length === 0,
      ...(await filterItems(q, req.tr)),
      filtered,
      total: found.total,
      items: found.items.map((p) => ({ ...p, interests: p.interests.map((i) => req.tr.t(i)) })),
      page: q.page,
      pages: found.pages,
      pagination: pagination(q.page, found.pages, href, {
        previous: req.tr.t('common.pagination.previous'),
        next: req.tr.t('common.pagination.next'),
      }),
      firstHref: href(1),
      exportHref: `/admin/people/export?${peopleQueryString({ ...q, page: 1 })}`,
    });
  });

  app.get('/admin/people/export', async (req, reply) => {
    const q = parsePeopleQuery(req.query);
    return renderExport(reply, q, {});
  });

  async function renderExport(reply: FastifyReply, q: PeopleQuery, opts: { errors?: FieldErrors }, status = 200) {
    const { t } = reply.request.tr;
    const found = await people.search({ ...q, page: 1 }, { perPage: 1 });
    return reply.render(
      `${V}/people-export.njk`,
      {
        pageTitle: msg('people.admin.export.title'),
        total: found.total,
        backHref: `/admin/people?${peopleQueryString({ ...q, page: 1 })}`,
        hidden: hiddenFilters(q),
        columnItems: exportColumns.map((c) => ({ value: c.value, text: t(c.text), hint: 'hint' in c ? { text: t(c.hint) } : undefined })),
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      status,
    );
  }

  app.post('/admin/people/export', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const q = parsePeopleQuery(body);
    const v = validateForm(ExportSchema, body);
    if (!v.ok) return renderExport(reply, q, { errors: v.errors }, 400);
    const { rows } = await people.startExport(req.currentUser!, q, v.value.columns, req.tr);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="people-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(rows));
  });

  async function renderPerson(
    reply: FastifyReply,
    id: string,
    opts: { values?: Record<string, unknown>; errors?: FieldErrors; added?: boolean; saved?: string } = {},
    status = 200,
  ) {
    const person = await people.person(id);
    if (!person) throw notFound('person');
    await people.recordView(reply.request.currentUser!, id);
    return reply.render(
      `${V}/person.njk`,
      {
        pageTitle: person.account.name,
        person,
        history: (await people.history(id)).map((h) => ({
          ...h,
          what: words(reply.request.tr, h.what),
          who: words(reply.request.tr, h.who),
        })),
        values: opts.values ?? {},
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors, ['body']) : [],
        added: opts.added,
        // What was just done on the record's own pages (record-routes.ts): contact, or a step's answers.
        saved: opts.saved === 'contact' ? 'contact' : opts.saved && editableStepKeys.includes(opts.saved) ? 'answers' : null,
        editSteps: editableStepKeys.map((key) => ({ key, title: stepTitles.get(key) })),
      },
      status,
    );
  }

  app.get<{ Params: { id: string }; Querystring: { added?: string; saved?: string } }>('/admin/people/:id', async (req, reply) =>
    renderPerson(reply, parsePersonId(req.params.id), { added: req.query.added === 'note', saved: req.query.saved }),
  );

  app.post<{ Params: { id: string } }>('/admin/people/:id/notes', async (req, reply) => {
    const id = parsePersonId(req.params.id);
    if (!(await people.isContributor(id))) throw notFound('person');
    const form = trimmed(req.body);
    const result = await people.addNote(req.currentUser!, id, form);
    if (!result.ok) return renderPerson(reply, id, { values: form, errors: result.errors }, 400);
    return reply.redirect(`/admin/people/${encodeURIComponent(id)}?added=note#notes`, 303);
  });
}
