import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { msg } from '#src/lib/messages.ts';
import { commitmentsCsv, updatesFeed } from './commitments-feeds.ts';
import { commitmentTarget, type Filters } from './commitments-reads.ts';

const V = 'accountability/views/commitments';
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

// A shared address is read leniently: an unknown status or an odd tag is no filter at all.
const filtersFrom = (query: Record<string, unknown>): Filters => {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() && v.length <= 60 ? v.trim().toLowerCase() : null);
  return { status: text(query.status), tag: text(query.tag) };
};

// The public side: every published commitment with its progress, each commitment's page, the
// RSS feed of updates and the CSV of them all.
export default async function commitmentsPublicRoutes(app: FastifyInstance) {
  const { commitments, comments, settings } = app.services;
  const { baseUrl } = app.config;

  app.get<{ Querystring: Record<string, unknown> }>('/commitments', async (req, reply) => {
    const { t } = req.tr;
    const statuses = (await commitments.statuses.list()).filter((s) => !s.archivedAt);
    const asked = filtersFrom(req.query);
    const filters: Filters = {
      status: statuses.some((s) => s.key === asked.status) ? asked.status : null,
      tag: asked.tag,
    };
    const overview = await commitments.overview(req.lang, filters);
    return reply.render(`${V}/index.njk`, {
      pageTitle: msg('commitments.list.title'),
      canonicalUrl: `${baseUrl}/commitments`,
      ...overview,
      filters,
      statusItems: [
        { value: '', text: t('commitments.list.filters.anyStatus') },
        ...statuses.map((s) => ({ value: s.key, text: s.translations?.[req.lang]?.name ?? s.name, selected: s.key === filters.status })),
      ],
      tagItems: [
        { value: '', text: t('commitments.list.filters.anyTag') },
        ...overview.tags.map((tag) => ({ value: tag, text: tag, selected: tag === filters.tag })),
      ],
    });
  });

  app.get('/commitments.csv', async (req, reply) => {
    const { items } = await commitments.overview(req.lang, { status: null, tag: null });
    return reply
      .header('content-disposition', 'attachment; filename="commitments.csv"')
      .type('text/csv; charset=utf-8')
      .send(commitmentsCsv(items, baseUrl, req.tr));
  });

  app.get('/commitments/updates.rss', async (req, reply) => {
    const org = await settings.get();
    const body = updatesFeed({
      baseUrl,
      language: req.tr.lang,
      title: req.tr.t('commitments.feed.title', { org: org.name }),
      description: req.tr.t('commitments.feed.description', { org: org.name }),
      items: await commitments.latestUpdates(20),
      now: new Date(),
    });
    return reply.header('cache-control', 'public, max-age=300').type('application/rss+xml; charset=utf-8').send(body);
  });

  app.get<{ Params: { slug: string } }>('/commitments/:slug', async (req, reply) => {
    if (!SLUG.test(req.params.slug)) throw notFound('commitment');
    const page = await commitments.page(req.params.slug, req.lang);
    if (!page) throw notFound('commitment');
    reply.locals.formStamp = () => comments.issueFormStamp();
    const thread = await comments.threadFor('commitment', page.commitment.id);
    const target = commitmentTarget(page.commitment);
    return reply.header('cache-control', 'private, no-cache').render(`${V}/commitment.njk`, {
      pageTitle: page.commitment.title,
      canonicalUrl: `${baseUrl}${page.commitment.path}`,
      ...page,
      timeline: timelineOf(page),
      target: { ...target, title: page.commitment.title },
      thread: thread.thread,
      commentCount: thread.count,
    });
  });
}

type PageData = NonNullable<Awaited<ReturnType<FastifyInstance['services']['commitments']['page']>>>;
export type TimelineEntry = { at: Date | string; kind: 'history' | 'update' | 'milestone'; item: unknown };

// History, updates and milestones done, in one list, newest first.
export function timelineOf(page: PageData): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...page.history.map((h) => ({ at: h.at, kind: 'history' as const, item: h })),
    ...page.updates.map((u) => ({ at: u.publishedAt, kind: 'update' as const, item: u })),
    ...page.milestones.filter((m) => m.doneOn).map((m) => ({ at: m.doneOn!, kind: 'milestone' as const, item: m })),
  ];
  const time = (v: Date | string) => (typeof v === 'string' ? new Date(`${v}T12:00:00Z`).getTime() : v.getTime());
  return entries.sort((a, b) => time(b.at) - time(a.at));
}
