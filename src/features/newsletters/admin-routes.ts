import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { isLang, type Translator } from '#src/lib/i18n.ts';
import { translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { parseId } from '#src/lib/ids.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import type { Newsletter } from './campaigns.ts';
import { NewsletterFormSchema, newsletterFieldOrder, newsletterTextFields } from './schema.ts';

type IdParams = { Params: { id: string } };
const V = 'newsletters/views/admin';
const A = 'newsletters.admin';

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

  async function audienceText(topicIds: number[], tr: Translator) {
    if (!topicIds.length) return tr.t(`${A}.audience.all`);
    const names = (await topics.byIds(topicIds)).map((t) => t.name);
    return tr.t(`${A}.audience.topics`, { topics: names.join(', ') });
  }

  // Why a newsletter cannot be changed or sent; `kind` names the heading and text in the catalogue.
  const problem = (reply: FastifyReply, n: Newsletter, kind: 'notDraft' | 'alreadySent' | 'alreadySentNothingMore' | 'nobody') =>
    reply.render(
      `${V}/problem.njk`,
      {
        pageTitle: msg(`${A}.problem.${kind}.heading`),
        heading: reply.request.tr.t(`${A}.problem.${kind}.heading`),
        text: reply.request.tr.t(`${A}.problem.${kind}.text`),
        newsletter: n,
      },
      409,
    );

  async function renderForm(reply: FastifyReply, opts: { id?: number; values: Record<string, unknown>; errors?: FieldErrors }) {
    const all = await topics.all();
    const chosen = [opts.values.topics ?? opts.values.topicIds ?? []].flat().map(String);
    const allCount = await campaigns.audienceSize([]);
    const { tr } = reply.request;
    return reply.render(
      `${V}/form.njk`,
      {
        pageTitle: msg(opts.id ? `${A}.form.editTitle` : `${A}.form.newTitle`),
        action: opts.id ? `/admin/newsletters/${opts.id}/edit` : '/admin/newsletters/new',
        id: opts.id,
        values: opts.values,
        topicItems: all
          .filter((t) => !t.archivedAt || chosen.includes(String(t.id)))
          .map((t) => ({
            value: String(t.id),
            text: t.name,
            hint: { text: tr.t(`${A}.topics.subscribers`, { count: t.subscribers }) },
            checked: chosen.includes(String(t.id)),
          })),
        allCount: num(allCount),
        allCountN: allCount,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors, newsletterFieldOrder) : [],
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get('/admin/newsletters', async (_req, reply) => {
    const list = await campaigns.list();
    return reply.render(`${V}/list.njk`, { pageTitle: msg(`${A}.list.title`), newsletters: list, section: 'newsletters' });
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
    if (n.status !== 'draft') return problem(reply, n, 'notDraft');
    return renderForm(reply, {
      id: n.id,
      values: {
        subject: n.subject,
        body: n.body,
        ...translationsToForm(n.translations, newsletterTextFields),
        audience: n.topicIds.length ? 'topics' : 'all',
        topicIds: n.topicIds,
      },
    });
  });

  app.post<IdParams>('/admin/newsletters/:id/edit', async (req, reply) => {
    const n = await load(req.params.id);
    const body = trimmed(req.body);
    const v = validateForm(NewsletterFormSchema, body);
    if (!v.ok) return renderForm(reply, { id: n.id, values: body, errors: v.errors });
    const saved = await campaigns.update(n.id, v.value);
    if (saved === 'not-draft') return problem(reply, n, 'notDraft');
    return reply.redirect(`/admin/newsletters/${n.id}`, 303);
  });

  // A draft: its preview and what can be done with it. Once sending: its progress.
  app.get<IdParams & { Querystring: { tested?: string } }>('/admin/newsletters/:id', async (req, reply) => {
    const n = await load(req.params.id);
    if (n.status === 'draft') {
      const preview = await campaigns.preview(n);
      const recipients = await campaigns.audienceSize(n.topicIds);
      return reply.render(`${V}/draft.njk`, {
        pageTitle: n.subject,
        newsletter: n,
        welshSubject: n.translations?.cy?.subject,
        audience: await audienceText(n.topicIds, req.tr),
        recipients: num(recipients),
        recipientCount: recipients,
        text: preview.text,
        tested: req.query.tested === '1',
      });
    }
    const p = await campaigns.progress(n.id);
    return reply.render(`${V}/progress.njk`, {
      pageTitle: n.subject,
      newsletter: n,
      audience: await audienceText(n.topicIds, req.tr),
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

  // ?version=cy shows the Welsh version (?lang= would change the language of the staff's pages).
  app.get<IdParams & { Querystring: { version?: string } }>('/admin/newsletters/:id/email.html', async (req, reply) => {
    const n = await load(req.params.id);
    const preview = await campaigns.preview(n, isLang(req.query.version) ? req.query.version : undefined);
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
    if (n.status !== 'draft') return problem(reply, n, 'alreadySent');
    const recipients = await campaigns.audienceSize(n.topicIds);
    return reply.render(`${V}/confirm-send.njk`, {
      pageTitle: msg(`${A}.confirmSend.pageTitle`),
      newsletter: n,
      hasWelsh: Boolean(n.translations?.cy?.subject),
      audience: await audienceText(n.topicIds, req.tr),
      recipients,
      recipientsText: num(recipients),
    });
  });

  app.post<IdParams>('/admin/newsletters/:id/send', async (req, reply) => {
    const n = await load(req.params.id);
    const result = await campaigns.send(n.id, req.currentUser?.id ?? null);
    if (result.kind === 'missing') throw notFound('newsletter');
    if (result.kind === 'not-draft') return problem(reply, n, 'alreadySentNothingMore');
    if (result.kind === 'no-recipients') return problem(reply, n, 'nobody');
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
