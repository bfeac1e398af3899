import type { FastifyInstance, FastifyReply } from 'fastify';
import { oneClickRoutes } from '#src/plugins/one-click.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { emailChoices } from './match-schema.ts';

const V = 'opportunities/views/matches';
const K = 'opportunity-matches';
type TokenParams = { Params: { token: string } };

// A contributor's choices about opportunity emails, and the stop link in every alert email.
export default async function matchRoutes(app: FastifyInstance) {
  const { opportunityMatches: matches } = app.services;

  await app.register(async (own) => {
    own.addHook('onRequest', requireContributor);
    const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

    async function renderChoices(reply: FastifyReply, chosen: string[], opts: { errors?: FieldErrors; saved?: boolean } = {}) {
      const { t } = reply.request.tr;
      return reply.render(
        `${V}/choices.njk`,
        {
          pageTitle: msg(`${K}.choices.title`),
          items: emailChoices.map((c) => ({
            value: c,
            text: t(`${K}.choices.${c}.label`),
            hint: { text: t(`${K}.choices.${c}.hint`) },
            checked: chosen.includes(c),
          })),
          saved: opts.saved,
          errors: opts.errors ?? {},
          errorList: opts.errors ? errorSummary(opts.errors) : [],
        },
        opts.errors ? 400 : 200,
      );
    }

    own.get<{ Querystring: { saved?: string } }>('/profile/opportunity-emails', async (req, reply) => {
      const now = await matches.choices(me(req).id);
      const chosen = emailChoices.filter((c) => now[c]);
      return renderChoices(reply, chosen, { saved: req.query.saved === '1' });
    });

    own.post('/profile/opportunity-emails', async (req, reply) => {
      const form = trimmed(req.body);
      const result = await matches.saveChoices(me(req), form);
      if (!result.ok) return renderChoices(reply, [form.choices ?? []].flat().map(String), { errors: result.errors });
      return reply.redirect('/profile/opportunity-emails?saved=1', 303);
    });
  });

  // The stop link works without signing in: GET asks (mail scanners open links), POST stops. The
  // POST is also the RFC 8058 one-click endpoint mail programs call with "List-Unsubscribe=One-Click"
  // and no cookies, so it takes no CSRF token: the signed token in the address authorises it.
  app.get<TokenParams>('/opportunity-alerts/stop/:token', async (req, reply) => {
    if (!matches.stopTokenOwner(req.params.token)) return invalidLink(reply);
    return reply.render(`${V}/stop.njk`, {
      pageTitle: msg(`${K}.stop.title`),
      action: `/opportunity-alerts/stop/${encodeURIComponent(req.params.token)}`,
    });
  });

  await oneClickRoutes(app, (oneClick) => {
    oneClick.post<TokenParams>(
      '/opportunity-alerts/stop/:token',
      { config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } } },
      async (req, reply) => {
        if (!(await matches.stopAlerts(req.params.token))) return invalidLink(reply);
        return reply.render(`${V}/stopped.njk`, { pageTitle: msg(`${K}.stopped.title`) });
      },
    );
  });

  function invalidLink(reply: FastifyReply) {
    return reply.render(`${V}/stop-invalid.njk`, { pageTitle: msg(`${K}.stop.invalidTitle`) }, 404);
  }
}
