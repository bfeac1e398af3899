import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import type { Newsletter } from './campaigns.ts';
import { NewsletterFormSchema, newsletterFieldOrder } from './schema.ts';

type IdParams = { Params: { id: string } };
const V = 'newsletters/views/admin';

export const num = (n: number) => n.toLocaleString('en-GB');

// The email on its own, for the preview frame: its inline styles need a policy of their own,
// and it may be framed by our own pages only.
const EMAIL_PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

export default async function newsletterAdminRoutes(app: FastifyInstance) {
  const { campaigns, topics } = app.services.newsletters;
  app.addHook('onRequest', requireStaff);

  async function load(raw: string): Promise<Newsletter> {
    const id = parseId(raw);
    const n = id ? await campaigns.get(id) : undefined;
    if (!n) throw notFound('newsletter');
    return n;
  }

  async function audienceText(topicIds: number[]) {
    if (!topicIds.length) return 'All subscribers';
    const names = (await topics.byIds(topicIds)).map((t) => t.name);
    return `People subscribed to: ${names.join(', ')}`;
  }

  const problem = (reply: FastifyReply, n: Newsletter, heading: string, text: string) =>
    reply.render(`${V}/problem.njk`, { pageTitle: heading, heading, text, newsletter: n }, 409);

  async function renderForm(reply: FastifyReply, opts: { id?: number; values: Record<string, unknown>; errors?: FieldErrors }) {
    const all = await topics.all();
    const chosen = [opts.values.topics ?? opts.values.topicIds ?? []].flat().map(String);
    return reply.render(
      `${V}/form.njk`,
      {
        pageTitle: opts.id ? 'Edit newsletter' : 'New newsletter',
        action: opts.id ? `/admin/newsletters/${opts.id}/edit` : '/admin/newsletters/new',
        id: opts.id,
        values: opts.values,
        topicItems: all
          .filter((t) => !t.archivedAt || chosen.includes(String(t.id)))
          .map((t) => ({
            value: String(t.id),
            text: t.name,
            hint: { text: `${num(t.subscribers)} ${t.subscribers === 1 ? 'subscriber' : 'subscribers'}` },
            checked: chosen.includes(String(t.id)),
          })),
        allCount: num(await campaigns.audienceSize([])),
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors, newsletterFieldOrder) : [],
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get('/admin/newsletters', async (_req, reply) => {
    const list = await campaigns.list();
    return reply.render(`${V}/list.njk`, { pageTitle: 'Newsletters', newsletters: list, section: 'newsletters' });
  });

  app.get('/admin/newsletters/new', async (_req, reply) => renderForm(reply, { values: { audience: 'all' } }));

  app.post('/admin/newsletters/new', async (req, reply) => {
    const body = trimmed(req.body);
    const v = validateForm(NewsletterFormSchema, body);
    if (!v.ok) return renderForm(reply, { values: body, errors: v.errors });
    const id = await campaigns.create(v.value, req.currentUser?.id ?? null);
    return reply.redirect(`/admin/newsletters/${id}`, 303);
  });

  app.get<IdParams>('/admin/newsletters/:id/edit', async (req, reply) => {
    const n = await load(req.params.id);
    if (n.status !== 'draft')
      return problem(reply, n, 'This newsletter cannot be changed', 'It has been sent, so it stays as it was sent.');
    return renderForm(reply, {
      id: n.id,
      values: { subject: n.subject, body: n.body, audience: n.topicIds.length ? 'topics' : 'all', topicIds: n.topicIds },
    });
  });

  app.post<IdParams>('/admin/newsletters/:id/edit', async (req, reply) => {
    const n = await load(req.params.id);
    const body = trimmed(req.body);
    const v = validateForm(NewsletterFormSchema, body);
    if (!v.ok) return renderForm(reply, { id: n.id, values: body, errors: v.errors });
    const saved = await campaigns.update(n.id, v.value);
    if (saved === 'not-draft')
      return problem(reply, n, 'This newsletter cannot be changed', 'It has been sent, so it stays as it was sent.');
    return reply.redirect(`/admin/newsletters/${n.id}`, 303);
  });

  // A draft: its preview and what can be done with it. Once sending: its progress.
  app.get<IdParams & { Querystring: { tested?: string } }>('/admin/newsletters/:id', async (req, reply) => {
    const n = await load(req.params.id);
    if (n.status === 'draft') {
      const preview = await campaigns.preview(n);
      return reply.render(`${V}/draft.njk`, {
        pageTitle: n.subject,
        newsletter: n,
        audience: await audienceText(n.topicIds),
        recipients: num(await campaigns.audienceSize(n.topicIds)),
        text: preview.text,
        tested: req.query.tested === '1',
      });
    }
    const p = await campaigns.progress(n.id);
    return reply.render(`${V}/progress.njk`, {
      pageTitle: n.subject,
      newsletter: n,
      audience: await audienceText(n.topicIds),
      progress: p,
      figures: {
        sent: num(p.sent),
        failed: num(p.failed),
        skipped: num(p.skipped),
        pending: num(p.pending),
        total: num(p.total),
        done: num(p.done),
      },
      failures: await campaigns.failures(n.id),
      webUrl: n.slug ? `/newsletters/${n.slug}` : null,
    });
  });

  app.get<IdParams>('/admin/newsletters/:id/email.html', async (req, reply) => {
    const n = await load(req.params.id);
    const preview = await campaigns.preview(n);
    return reply.header('content-security-policy', EMAIL_PREVIEW_CSP).type('text/html; charset=utf-8').send(preview.html);
  });

  app.post<IdParams>(
    '/admin/newsletters/:id/test',
    { config: { rateLimit: { max: 20, timeWindow: '10 minutes' } } },
    async (req, reply) => {
      const n = await load(req.params.id);
      const me = req.currentUser!;
      await campaigns.sendTest(n, { email: me.email, name: me.name });
      return reply.redirect(`/admin/newsletters/${n.id}?tested=1`, 303);
    },
  );

  app.get<IdParams>('/admin/newsletters/:id/send', async (req, reply) => {
    const n = await load(req.params.id);
    if (n.status !== 'draft')
      return problem(
        reply,
        n,
        'This newsletter has already been sent',
        'A newsletter can only be sent once. Create a new newsletter to send something else.',
      );
    const recipients = await campaigns.audienceSize(n.topicIds);
    return reply.render(`${V}/confirm-send.njk`, {
      pageTitle: 'Send this newsletter?',
      newsletter: n,
      audience: await audienceText(n.topicIds),
      recipients,
      recipientsText: num(recipients),
    });
  });

  app.post<IdParams>('/admin/newsletters/:id/send', async (req, reply) => {
    const n = await load(req.params.id);
    const result = await campaigns.send(n.id, req.currentUser?.id ?? null);
    if (result.kind === 'missing') throw notFound('newsletter');
    if (result.kind === 'not-draft') {
      return problem(
        reply,
        n,
        'This newsletter has already been sent',
        'A newsletter can only be sent once, so nothing more has been sent. Create a new newsletter to send something else.',
      );
    }
    if (result.kind === 'no-recipients') {
      return problem(
        reply,
        n,
        'There is nobody to send this newsletter to',
        'No active subscriber has chosen the topics it is for. Nothing has been sent. Change who it is for, or wait for people to subscribe.',
      );
    }
    return reply.redirect(`/admin/newsletters/${n.id}`, 303);
  });

  app.post<IdParams>('/admin/newsletters/:id/pause', async (req, reply) => {
    const n = await load(req.params.id);
    await campaigns.pause(n.id);
    return reply.redirect(`/admin/newsletters/${n.id}`, 303);
  });

  app.post<IdParams>('/admin/newsletters/:id/resume', async (req, reply) => {
    const n = await load(req.params.id);
    await campaigns.resume(n.id);
    return reply.redirect(`/admin/newsletters/${n.id}`, 303);
  });
}
