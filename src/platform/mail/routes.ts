import type { FastifyInstance } from 'fastify';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { notFound } from '#src/lib/errors.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';

export default async function mailRoutes(app: FastifyInstance) {
  const { mail } = app.services;

  // Staff can see what was sent and what is failing (failures retry on their own with back-off).
  app.get('/admin/mail', { onRequest: requireStaff }, async (_req, reply) => {
    return reply.render('mail/views/admin-mail.njk', {
      pageTitle: msg('mail.admin.title'),
      messages: await mail.recent(100),
      transportKind: mail.transportKind,
      mailFromUnset: app.config.isProduction && !app.config.mailFromSet,
    });
  });

  // The development outbox: never mounted in production.
  if (app.config.isProduction) return;
  // `?to=` shows one address's emails only, however many others were sent since (journeys read
  // a person's email long after it was sent, with hundreds sent in between).
  app.get<{ Querystring: { to?: unknown } }>('/dev/outbox', { onRequest: requireStaff }, async (req, reply) => {
    const to = typeof req.query.to === 'string' && req.query.to.length <= 320 ? req.query.to.trim() : '';
    const messages = await mail.outbox(100, to || undefined);
    return reply.render('mail/views/outbox.njk', { pageTitle: msg('mail.outbox.title'), messages, to });
  });
  app.get<{ Params: { id: string } }>('/dev/outbox/:id', { onRequest: requireStaff }, async (req, reply) => {
    const message = await mail.outboxMessage(idOrNotFound(req.params.id, 'email'));
    if (!message) throw notFound('email');
    return reply.render('mail/views/outbox-message.njk', { pageTitle: message.subject, message });
  });
  // The invitation sent with an email, as a file to open in a calendar program.
  app.get<{ Params: { id: string } }>('/dev/outbox/:id/calendar.ics', { onRequest: requireStaff }, async (req, reply) => {
    const message = await mail.outboxMessage(idOrNotFound(req.params.id, 'email'));
    if (!message?.calendar) throw notFound('email');
    return reply
      .type(`text/calendar; charset=utf-8; method=${message.calendar.method}`)
      .header('content-disposition', `attachment; filename="${message.calendar.fileName.replace(/[^\w.-]/g, '_')}"`)
      .send(message.calendar.content);
  });
}
