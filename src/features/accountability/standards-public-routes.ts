import type { FastifyInstance } from 'fastify';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { roundView, standardText } from './standards-round-view.ts';

const V = 'accountability/views/standards';

// The public pages: the frameworks we assess our involvement against, the rounds staff published,
// and each published round's summary (completed rounds only; anything else is a 404).
export default async function standardsPublicRoutes(app: FastifyInstance) {
  const { standardsRounds: rounds, standardsFrameworks: frameworks } = app.services;

  app.get('/standards', async (req, reply) => {
    const [active, published] = await Promise.all([frameworks.list(false), rounds.published()]);
    const all = await frameworks.list(true);
    const standards = await frameworks.standardsOfMany(active.map((f) => f.id));
    return reply.render(`${V}/public-index.njk`, {
      pageTitle: msg('standards.index.title'),
      frameworks: active.map((f) => ({
        ...localised(f, ['name', 'descriptionHtml'], req.lang),
        standards: standards.filter((s) => s.frameworkId === f.id).map((s) => standardText(s, req.lang)),
      })),
      rounds: published.map((r) => {
        const f = all.find((x) => x.id === r.frameworkId);
        return { ...localised(r, ['title'], req.lang), framework: f ? localised(f, ['name'], req.lang) : null };
      }),
    });
  });

  app.get<{ Params: { slug: string } }>('/standards/:slug', async (req, reply) => {
    const round = await rounds.findPublished(req.params.slug);
    const view = await roundView(app.featureContext, app.database.db, round, { lang: req.lang, publicView: true });
    return reply.render(`${V}/public-round.njk`, { pageTitle: msg('standards.round.pageTitle', { title: view.round.title }), ...view });
  });
}
