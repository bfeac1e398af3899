import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { validateForm } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { pageCount, paginationParams, parsePage } from '#src/lib/pagination.ts';
import { regionKey, regionOptions } from '#src/features/profile/schema.ts';
import { rssFeed } from './feed.ts';
import { presented } from './presenting.ts';
import { ListingQuerySchema, SLUG_PATTERN, type ListingFilters } from './schema.ts';
import { opportunityTypes } from './tables.ts';

export const OPPORTUNITIES_PER_PAGE = 10;
const FEED_SIZE = 50;

// The listing's address with its filters (and a page), so pagination keeps them.
export function listingHref(filters: ListingFilters, page = 1): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.set(k, v === true ? 'yes' : String(v));
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/opportunities?${s}` : '/opportunities';
}

// The public side: the listing with its filters, each opportunity's page and the RSS feed.
export default async function opportunityRoutes(app: FastifyInstance) {
  const { opportunities, profile, settings } = app.services;
  const { baseUrl } = app.config;

  app.get<{ Querystring: Record<string, unknown> }>('/opportunities', async (req, reply) => {
    const page = parsePage(req.query.page);
    if (!page) throw notFound();
    const filters = validateForm(ListingQuerySchema, req.query);
    const f: ListingFilters = filters.ok ? filters.value : {};
    const list = await opportunities.listing(f, page, OPPORTUNITIES_PER_PAGE);
    const lastPage = pageCount(list.total, OPPORTUNITIES_PER_PAGE);
    if (page > lastPage) throw notFound();
    const { t } = req.tr;
    const anyFilter = Object.values(f).some((v) => v !== undefined);
    return reply.render('opportunities/views/index.njk', {
      pageTitle: page > 1 ? msg('opportunities.list.titlePaged', { page, last: lastPage }) : msg('opportunities.list.title'),
      canonicalUrl: `${baseUrl}/opportunities`,
      items: list.items.map((o) => presented(o, req.tr)),
      total: list.total,
      page,
      lastPage,
      filters: f,
      anyFilter,
      typeItems: [
        { value: '', text: t('opportunities.list.filters.anyType') },
        ...opportunityTypes.map((v) => ({ value: v, text: t(`opportunities.options.type.${v}`), selected: f.type === v })),
      ],
      regionItems: [
        { value: '', text: t('opportunities.list.filters.anyRegion') },
        ...regionOptions.map((r) => ({ value: r, text: t(regionKey(r), { defaultValue: r }), selected: f.region === r })),
      ],
      pagination: paginationParams(page, list.total, OPPORTUNITIES_PER_PAGE, (n) => listingHref(f, n)),
    });
  });

  app.get('/opportunities/feed.xml', async (req, reply) => {
    const [items, org] = await Promise.all([opportunities.latestOpen(FEED_SIZE), settings.get()]);
    const tr = req.tr;
    return reply
      .type('application/rss+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(
        rssFeed({
          baseUrl,
          language: tr.lang,
          title: tr.t('opportunities.feed.title', { org: org.name }),
          description: tr.t('opportunities.feed.description', { org: org.name }),
          items: items.map((o) => ({ ...o, closes: tr.t('opportunities.feed.closes', { when: tr.dateTime(o.closesAt) }) })),
          now: new Date(),
        }),
      );
  });

  app.get<{ Params: { slug: string } }>('/opportunities/:slug', async (req, reply) => {
    if (!SLUG_PATTERN.test(req.params.slug)) throw notFound('opportunity');
    const o = await opportunities.published(req.params.slug);
    if (!o) throw notFound('opportunity');
    const terms = o.soughtTermIds.length ? await profile.terms(true) : [];
    return reply.render('opportunities/views/opportunity.njk', {
      pageTitle: o.title,
      canonicalUrl: `${baseUrl}/opportunities/${o.slug}`,
      o: presented(o, req.tr, terms),
      taking: opportunities.isTakingApplications(o),
    });
  });
}
