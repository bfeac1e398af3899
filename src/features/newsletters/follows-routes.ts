import type { FastifyInstance, FastifyReply } from 'fastify';
import { oneClickRoutes } from '#src/plugins/one-click.ts';
import { notFound } from '#src/lib/errors.ts';
import { trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { CommentTarget, Followable } from '#src/platform/feature.ts';
import { FOLLOW_CONFIRM_DAYS } from './follows-schema.ts';
import type { Follow } from './follows-service.ts';

type PageParams = { Params: Record<string, string> };
type TokenParams = { Params: { token: string } };
type Page = CommentTarget & { translations?: Translations | null };
const V = 'newsletters/views/follows';

// The page in the reader's language when it has a version in it (a Welsh title, say).
const inLanguage = (target: Page, lang: Lang) => localised(target, ['title'], lang);

// The follow form's email field has an id of its own: the page it sits on may have another
// email field (the comment form's).
const errorListOf = (errors: FieldErrors) => Object.values(errors).map((text) => ({ text, href: '#follow-email' }));

// Following a page by email: the form's routes under each followable page's own address
// (/commitments/:slug/follow), and the confirm and unsubscribe links every follow shares.
export default async function followRoutes(app: FastifyInstance) {
  const { follows } = app.services.newsletters;
  const ctx = app.featureContext;

  for (const followable of ctx.extensions.followables.values()) mountOn(app, followable);

  function mountOn(scope: FastifyInstance, followable: Followable) {
    const base = followable.path;
    const pageOf = async (params: Record<string, string>): Promise<Page> => {
      const target = await followable.findByParams(ctx, params);
      if (!target) throw notFound(followable.noun);
      return target;
    };
    const renderForm = (reply: FastifyReply, target: Page, values: Record<string, unknown>, errors?: FieldErrors) => {
      const page = inLanguage(target, reply.request.lang);
      return reply.render(
        `${V}/follow.njk`,
        {
          pageTitle: msg('follows.form.pageTitle', { title: page.title }),
          target: page,
          followValues: values,
          followErrors: errors ?? {},
          errorList: errors ? errorListOf(errors) : [],
        },
        errors ? 400 : 200,
      );
    };

    // The form on a page of its own: where a failed submission is shown, and where a refresh lands.
    scope.get<PageParams>(`${base}/follow`, async (req, reply) => renderForm(reply, await pageOf(req.params), {}));

    // The form sits on the followable page, which may be cached for anonymous readers: only a
    // signed-in person's post carries a CSRF token; others must come from our own pages (ADR 20).
    scope.post<PageParams>(
      `${base}/follow`,
      { config: { csrf: 'signed-in', rateLimit: { max: 20, timeWindow: '10 minutes' } } },
      async (req, reply) => {
        const target = await pageOf(req.params);
        const body = trimmed(req.body);
        const result = await follows.request(target, body, req.lang);
        if (!result.ok) return renderForm(reply, target, body, result.errors);
        return reply.redirect(`${target.path}/follow/check-email`, 303);
      },
    );

    scope.get<PageParams>(`${base}/follow/check-email`, async (req, reply) => {
      const page = inLanguage(await pageOf(req.params), req.lang);
      return reply.render(`${V}/check-email.njk`, { pageTitle: msg('follows.checkEmail.title'), target: page, days: FOLLOW_CONFIRM_DAYS });
    });
  }

  const linkProblem = (reply: FastifyReply, kind: 'expired' | 'invalid') =>
    reply.render(
      `${V}/link-problem.njk`,
      { pageTitle: msg(`follows.linkProblem.${kind}.title`), kind, days: FOLLOW_CONFIRM_DAYS },
      kind === 'expired' ? 410 : 404,
    );

  // Opening the link changes nothing (mail scanners open links); only the button confirms.
  app.get<TokenParams>('/follow/confirm/:token', async (req, reply) => {
    const state = await follows.checkConfirmToken(req.params.token);
    if (state !== 'valid') return linkProblem(reply, state);
    return reply.render(`${V}/confirm.njk`, { pageTitle: msg('follows.confirm.title'), token: req.params.token });
  });

  app.post<TokenParams>('/follow/confirm/:token', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const result = await follows.confirm(req.params.token);
    if (result.kind !== 'confirmed') return linkProblem(reply, result.kind);
    return reply.render(`${V}/confirmed.njk`, {
      pageTitle: msg('follows.confirmed.title', { title: result.follow.targetTitle }),
      follow: result.follow,
      unsubscribePath: follows.unsubscribePath(result.follow.id),
    });
  });

  const unsubscribedPage = (reply: FastifyReply, follow: Follow) =>
    reply.render(`${V}/unsubscribed.njk`, { pageTitle: msg('follows.unsubscribed.title'), follow });

  // The unsubscribe link in every update. GET asks; POST does it. The POST is also the RFC 8058
  // one-click endpoint mailbox providers call with no cookies, so it takes no CSRF token (the
  // signed token in the address is what authorises it).
  app.get<TokenParams>('/follow/unsubscribe/:token', async (req, reply) => {
    const follow = await follows.byUnsubscribeToken(req.params.token);
    if (!follow) return linkProblem(reply, 'invalid');
    if (follow.status === 'unsubscribed') return unsubscribedPage(reply, follow);
    return reply.render(`${V}/unsubscribe.njk`, { pageTitle: msg('follows.unsubscribe.title'), token: req.params.token, follow });
  });

  await oneClickRoutes(app, (oneClick) => {
    oneClick.post<TokenParams>(
      '/follow/unsubscribe/:token',
      { config: { csrf: false, rateLimit: { max: 60, timeWindow: '1 minute' } } },
      async (req, reply) => {
        const follow = await follows.unsubscribe(req.params.token);
        if (!follow) return linkProblem(reply, 'invalid');
        return unsubscribedPage(reply, follow);
      },
    );
  });
}
