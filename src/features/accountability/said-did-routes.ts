import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { pageCount, paginationParams } from '#src/lib/pagination.ts';
import { saidDidPath } from './said-did-lookup.ts';
import { ENTRIES_PER_PAGE } from './said-did-public.ts';
import type { EntryRow } from './said-did-repository.ts';
import { ListQuerySchema, type ListFilters } from './said-did-schema.ts';

const V = 'accountability/views/said-did';
const P = 'saidDid';
const EXCERPT = 220;

// The first words of an entry's text, without its markup, for the list.
export function excerpt(html: string, max = EXCERPT): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

// The list's address with its filters (and a page), so pagination keeps them.
function listHref(f: ListFilters, page = 1): string {
  const q = new URLSearchParams();
  if (f.group !== null) q.set('group', String(f.group));
  if (f.theme !== null) q.set('theme', f.theme);
  if (f.year !== null) q.set('year', String(f.year));
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/you-said-we-did?${s}` : '/you-said-we-did';
}

const inLang = (row: EntryRow, lang: Lang) =>
  localised({ ...row, translations: row.translations }, ['title', 'youSaidHtml', 'weDidHtml'], lang);

// "You said, we did" in public: published entries newest first, filtered by group, theme and year
// (a plain GET form), and each entry's page. A draft is a 404.
export default async function saidDidRoutes(app: FastifyInstance) {
  const { saidDid } = app.services;

  app.get('/you-said-we-did', async (req: FastifyRequest, reply) => {
    const q = ListQuerySchema.parse(req.query ?? {});
    const filters: ListFilters = { group: q.group, theme: q.theme, year: q.year };
    if (q.page === null) throw notFound('page');
    const found = await saidDid.publicList(filters, q.page);
    const last = pageCount(found.total, ENTRIES_PER_PAGE);
    if (q.page > last) throw notFound('page');
    const { t } = req.tr;
    return reply.render(`${V}/list.njk`, {
      pageTitle: msg(`${P}.list.title`),
      entries: found.rows.map((row) => {
        const e = inLang(row, req.lang);
        return { ...e, path: saidDidPath(row.slug), youSaidShort: excerpt(e.youSaidHtml), weDidShort: excerpt(e.weDidHtml) };
      }),
      total: found.total,
      page: q.page,
      lastPage: last,
      filters,
      anyFilter: filters.group !== null || filters.theme !== null || filters.year !== null,
      groupItems: [
        { value: '', text: t(`${P}.list.filters.anyGroup`) },
        ...found.facets.groups.map((g) => ({ value: String(g.id), text: g.name, selected: g.id === filters.group })),
      ],
      themeItems: [
        { value: '', text: t(`${P}.list.filters.anyTheme`) },
        ...found.facets.themes.map((th) => ({ value: th, text: th, selected: th.toLowerCase() === filters.theme?.toLowerCase() })),
      ],
      yearItems: [
        { value: '', text: t(`${P}.list.filters.anyYear`) },
        ...found.facets.years.map((y) => ({ value: String(y), text: String(y), selected: y === filters.year })),
      ],
      pagination: paginationParams(q.page, found.total, ENTRIES_PER_PAGE, (n) => listHref(filters, n)),
      summaries: await saidDid.summariesWithoutEntry(),
    });
  });

  app.get<{ Params: { slug: string } }>('/you-said-we-did/:slug', async (req, reply) => {
    const found = await saidDid.publicEntry(req.params.slug);
    if (!found) throw notFound('entry');
    const entry = inLang(found.entry, req.lang);
    return reply.render(`${V}/entry.njk`, {
      pageTitle: entry.title,
      entry,
      commitment: found.commitment,
      sameGroup: found.sameGroup.map((o) => ({
        title: ((o.translations as Translations | null)?.[req.lang]?.title ?? '') || o.title,
        path: saidDidPath(o.slug),
        happenedOn: o.happenedOn,
      })),
    });
  });
}
