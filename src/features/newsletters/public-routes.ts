import { timingSafeEqual, createHash } from 'node:crypto';
import { oneClickRoutes } from '#src/plugins/one-click.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { languages, type Lang } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { topicInLanguage, type Topic } from './topics.ts';
import { BounceSchema, PRIVACY_NOTICE_VERSION, newsletterTextFields } from './schema.ts';
import { CONFIRM_LINK_DAYS } from './subscribers.ts';

type TokenParams = { Params: { token: string } };
const V = 'newsletters/views';
const P = 'newsletters';

// A topic as a checkbox on a page in `lang`: its name in that language, or the English marked so.
const topicItem = (t: Topic, lang: Lang, checked: boolean) => {
  const shown = topicInLanguage(t, lang);
  return { value: String(t.id), text: shown.name, ...(shown.englishOnly && { label: { attributes: { lang: 'en' } } }), checked };
};

// Same length compare on digests, so the secret's length does not leak through timing either.
const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export default async function newsletterPublicRoutes(app: FastifyInstance) {
  const { topics, subscribers, campaigns, renderer } = app.services.newsletters;

  async function renderSignUp(reply: FastifyReply, lang: Lang, values: Record<string, unknown> = {}, errors?: FieldErrors) {
    const chosen = [values.topics ?? []].flat().map(String);
    return reply.render(
      `${V}/sign-up.njk`,
      {
        pageTitle: msg(`${P}.signUp.title`),
        topics: (await topics.active()).map((t) => topicItem(t, lang, chosen.includes(String(t.id)))),
        values,
        errors: errors ?? {},
        errorList: errors ? errorSummary(errors, ['email', 'topics']) : [],
        privacyVersion: PRIVACY_NOTICE_VERSION,
      },
      errors ? 400 : 200,
    );
  }

  app.get('/newsletter', async (req, reply) => renderSignUp(reply, req.lang));

  app.post('/newsletter', { config: { rateLimit: { max: 20, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const body = trimmed(req.body);
    const result = await subscribers.signUp(body, 'web-form', req.lang);
    if (!result.ok) return renderSignUp(reply, req.lang, body, result.errors);
    return reply.redirect('/newsletter/check-your-email', 303);
  });

  app.get('/newsletter/check-your-email', async (_req, reply) =>
    reply.render(`${V}/check-email.njk`, { pageTitle: msg(`${P}.checkEmail.title`), days: CONFIRM_LINK_DAYS }),
  );

  const linkProblem = (reply: FastifyReply, kind: 'expired' | 'invalid') =>
    reply.render(
      `${V}/link-problem.njk`,
      { pageTitle: msg(`${P}.linkProblem.${kind}.title`), kind, days: CONFIRM_LINK_DAYS },
      kind === 'expired' ? 410 : 404,
    );

  // Opening the link changes nothing (mail scanners open links); only the button subscribes.
  app.get<TokenParams>('/newsletter/confirm/:token', async (req, reply) => {
    const state = await subscribers.checkConfirmToken(req.params.token);
    if (state !== 'valid') return linkProblem(reply, state);
    return reply.render(`${V}/confirm.njk`, { pageTitle: msg(`${P}.confirm.title`), token: req.params.token });
  });

  app.post<TokenParams>(
    '/newsletter/confirm/:token',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const result = await subscribers.confirm(req.params.token);
      if (result.kind !== 'confirmed') return linkProblem(reply, result.kind);
      return reply.redirect(`${new URL(result.preferencesUrl).pathname}?confirmed=1`, 303);
    },
  );

  async function renderPreferences(
    reply: FastifyReply,
    token: string,
    lang: Lang,
    opts: { errors?: FieldErrors; chosen?: number[]; language?: unknown; banner?: string } = {},
  ) {
    const found = await subscribers.preferences(token);
    if (!found) return linkProblem(reply, 'invalid');
    const chosen = opts.chosen ?? found.topicIds;
    const language = opts.language ?? found.subscriber.language;
    return reply.render(
      `${V}/preferences.njk`,
      {
        pageTitle: msg(`${P}.preferences.title`),
        token,
        subscriber: found.subscriber,
        topics: (await topics.active()).map((t) => topicItem(t, lang, chosen.includes(t.id))),
        // Each language named in itself, so a person finds theirs whatever the page's language.
        languageItems: languages.map((l) => ({
          value: l.code,
          text: l.name,
          label: { attributes: { lang: l.code } },
          checked: language === l.code,
        })),
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
        banner: opts.banner,
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get<TokenParams & { Querystring: { confirmed?: string; saved?: string } }>('/newsletter/preferences/:token', async (req, reply) => {
    const banner = req.query.confirmed ? 'confirmed' : req.query.saved ? 'saved' : undefined;
    return renderPreferences(reply, req.params.token, req.lang, { banner });
  });

  app.post<TokenParams>(
    '/newsletter/preferences/:token',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const body = trimmed(req.body);
      const result = await subscribers.updatePreferences(req.params.token, body, req.lang);
      if (!result) return linkProblem(reply, 'invalid');
      if (!result.ok) {
        const chosen = [body.topics ?? []].flat().map(Number).filter(Number.isInteger);
        return renderPreferences(reply, req.params.token, req.lang, { errors: result.errors, chosen, language: body.language });
      }
      return reply.redirect(`/newsletter/preferences/${encodeURIComponent(req.params.token)}?saved=1`, 303);
    },
  );

  // The unsubscribe link in every email. GET asks; POST does it. The POST is also the RFC 8058
  // one-click endpoint that mailbox providers call with "List-Unsubscribe=One-Click" and no
  // cookies, so it takes no CSRF token (the signed token in the address is what authorises it)
  // and sets no cookie.
  app.get<TokenParams>('/newsletter/unsubscribe/:token', async (req, reply) => {
    const found = await subscribers.preferences(req.params.token);
    if (!found) return linkProblem(reply, 'invalid');
    return reply.render(`${V}/unsubscribe.njk`, {
      pageTitle: msg(`${P}.unsubscribe.title`),
      token: req.params.token,
      subscriber: found.subscriber,
    });
  });

  await oneClickRoutes(app, (oneClick) => {
    oneClick.post<TokenParams>('/newsletter/unsubscribe/:token', { config: { csrf: false } }, async (req, reply) => {
      const source =
        (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click' ? 'one-click' : 'unsubscribe-page';
      const done = await subscribers.unsubscribe(req.params.token, source);
      if (!done) return linkProblem(reply, 'invalid');
      return reply.render(`${V}/unsubscribed.njk`, { pageTitle: msg(`${P}.unsubscribed.title`), token: req.params.token });
    });
  });

  app.post<TokenParams>('/newsletter/preferences/:token/unsubscribe', async (req, reply) => {
    const done = await subscribers.unsubscribe(req.params.token, 'preference-page');
    if (!done) return linkProblem(reply, 'invalid');
    return reply.render(`${V}/unsubscribed.njk`, { pageTitle: msg(`${P}.unsubscribed.title`), token: req.params.token });
  });

  // For the mail provider: bounces and complaints stop all sending to the address.
  app.post('/newsletter/bounces', { config: { csrf: false, rateLimit: { max: 600, timeWindow: '1 minute' } } }, async (req, reply) => {
    const secret = app.config.bounceWebhookSecret;
    if (!secret) return reply.code(404).send({ error: 'Not found' });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), secret))
      return reply.code(401).send({ error: 'A valid bearer token is needed' });
    const parsed = BounceSchema.safeParse(req.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'Send JSON like {"email": "name@example.com", "type": "bounce"} (type is bounce or complaint)' });
    const status = parsed.data.type === 'bounce' ? 'bounced' : 'complained';
    const outcome = await subscribers.markByEmail(parsed.data.email, status, {
      source: 'bounce-webhook',
      detail: `Reported by the mail provider as a ${parsed.data.type}`,
    });
    return reply.send({ result: outcome === 'missing' ? 'unknown-address' : outcome });
  });

  // The web version of a sent newsletter: its version in the page's language, or the English
  // marked as such.
  app.get<{ Params: { key: string } }>('/newsletters/:key', async (req, reply) => {
    const found = await campaigns.published(req.params.key);
    if (!found) return reply.callNotFound();
    if (found.slug && req.params.key !== found.slug) return reply.redirect(`/newsletters/${found.slug}`, 301);
    const n = localised(found, newsletterTextFields, req.lang);
    return reply.render(`${V}/web-view.njk`, {
      pageTitle: n.subject,
      newsletter: n,
      bodyHtml: renderer.bodyHtml(n.body),
      canonicalUrl: renderer.webUrl(n),
    });
  });
}
