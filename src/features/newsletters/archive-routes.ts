import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';

export const ARCHIVE_PER_PAGE = 20;
// A bookmarked page number is read leniently: anything but a whole number is the first page.
const pageOf = (raw: unknown) => (typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1);

// The public archive of sent newsletters, newest first: each links to its web version, in the
// page's language where there is one.
export default async function newsletterArchiveRoutes(app: FastifyInstance) {
  const { campaigns } = app.services.newsletters;

  app.get<{ Querystring: { page?: string } }>('/newsletters', async (req, reply) => {
    const page = pageOf(req.query.page);
    const found = await campaigns.archive(page, ARCHIVE_PER_PAGE);
    if (page > found.pages) throw notFound('page');
    const href = (n: number) => (n > 1 ? `/newsletters?page=${n}` : '/newsletters');
    const { t } = req.tr;
    return reply.render('newsletters/views/archive.njk', {
      pageTitle: page > 1 ? msg('newsletter-archive.titlePage', { page }) : msg('newsletter-archive.title'),
      items: found.items.map((n) => ({ ...localised(n, ['subject'], req.lang), href: `/newsletters/${n.slug ?? n.id}` })),
      total: found.total,
      page,
      pages: found.pages,
      previous:
        page > 1 ? { href: href(page - 1), text: t('common.pagination.previous'), labelText: t('newsletter-archive.newer') } : undefined,
      next:
        page < found.pages
          ? { href: href(page + 1), text: t('common.pagination.next'), labelText: t('newsletter-archive.older') }
          : undefined,
    });
  });
}
