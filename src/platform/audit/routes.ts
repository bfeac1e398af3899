import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { msg } from '#src/lib/messages.ts';

const id = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z0-9_-]*$/)
  .optional()
  .catch(undefined);
const filterSchema = (actions: string[]) =>
  z.object({
    actor: id,
    subject: id,
    action: z
      .enum(actions as [string, ...string[]])
      .optional()
      .catch(undefined),
    page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  });

// Admins read the trail of who did what to whose data.
export default async function auditRoutes(app: FastifyInstance) {
  const { audit } = app.services;
  const auditActions = audit.actions;
  const FilterSchema = filterSchema(Object.keys(auditActions));

  app.get('/admin/audit', { onRequest: requireAdmin }, async (req, reply) => {
    const filter = FilterSchema.parse(req.query ?? {});
    const result = await audit.list({
      actor: filter.actor || undefined,
      subject: filter.subject || undefined,
      action: filter.action,
      page: filter.page,
    });
    const actionItems = [
      { value: '', text: req.tr.t('audit.admin.anyAction') },
      // Each feature's words for its actions are catalogue keys (its manifest's auditActions).
      ...Object.entries(auditActions).map(([value, key]) => ({ value, text: req.tr.t(key), selected: filter.action === value })),
    ];
    const query = (page: number) => {
      const q = new URLSearchParams();
      if (filter.actor) q.set('actor', filter.actor);
      if (filter.subject) q.set('subject', filter.subject);
      if (filter.action) q.set('action', filter.action);
      q.set('page', String(page));
      return `/admin/audit?${q.toString()}`;
    };
    return reply.render('audit/views/audit.njk', {
      pageTitle: msg('audit.admin.title'),
      filter,
      actionItems,
      actionText: auditActions,
      items: result.items,
      previous: result.page > 1 ? query(result.page - 1) : null,
      next: result.hasNext ? query(result.page + 1) : null,
    });
  });
}
