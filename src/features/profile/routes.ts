import type { FastifyInstance, FastifyReply } from 'fastify';
import { msg } from '#src/lib/messages.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { stepPages, type StepPage } from './step-pages.ts';
import type { StepStatus } from './service.ts';

const statusOf = (tr: Translator, status: StepStatus) => {
  if (status === 'completed') return { text: tr.t('profile.taskList.completed') };
  if (status === 'skipped') return { tag: { text: tr.t('profile.taskList.skipped'), classes: 'nhsuk-tag--grey' } };
  return { tag: { text: tr.t('profile.taskList.notStarted'), classes: 'nhsuk-tag--blue' } };
};

// The contributor's profile: the task list of every feature's steps, agreeing to the current
// privacy notice, and this feature's own step pages.
export default async function profileRoutes(app: FastifyInstance) {
  const { profile, dataRights } = app.services;
  app.addHook('onRequest', requireContributor);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function renderProfile(reply: FastifyReply, user: CurrentUser, extra: { saved?: string; errors?: FieldErrors } = {}, status = 200) {
    const [tasks, consent, saved] = await Promise.all([
      profile.taskList(user.id),
      dataRights.consentStatus(user.id),
      profile.profile(user.id),
    ]);
    // Every feature's step titles and hints are catalogue keys (their manifests' profileSteps).
    const tr = reply.request.tr;
    const taskItems = tasks.map((t) => ({
      title: { text: tr.t(t.title) },
      hint: { text: tr.t(t.hint) },
      href: t.href,
      status: statusOf(tr, t.status),
    }));
    const errors = extra.errors ?? {};
    return reply.render(
      'profile/views/profile.njk',
      {
        pageTitle: msg('profile.title'),
        taskItems,
        done: tasks.filter((t) => t.completed).length,
        total: tasks.length,
        consent,
        greeting: saved?.preferredName || user.name,
        saved: extra.saved,
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  }

  app.get<{ Querystring: { saved?: string } }>('/profile', async (req, reply) => renderProfile(reply, me(req), { saved: req.query.saved }));

  app.post('/profile/consent', async (req, reply) => {
    if (trimmed(req.body).consent !== 'yes') {
      return renderProfile(reply, me(req), { errors: { consent: msg('profile.consent.missing') } }, 400);
    }
    await dataRights.agreeToCurrentNotice(me(req).id);
    return reply.redirect('/profile?saved=consent', 303);
  });

  // Each step: GET shows the form with what is saved; POST saves, or shows it again with errors.
  async function renderStep(
    reply: FastifyReply,
    page: StepPage,
    user: CurrentUser,
    form: Record<string, unknown> | null,
    errors: FieldErrors = {},
  ) {
    const values = form ?? (await page.values(profile, user, await profile.profile(user.id)));
    const choices = (await page.choices?.(profile, values, reply.request.tr)) ?? {};
    return reply.render(
      page.template,
      { pageTitle: page.pageTitle, values, errors, errorList: errorSummary(errors, page.order), ...choices },
      form ? 400 : 200,
    );
  }

  for (const page of stepPages) {
    app.get(page.path, async (req, reply) => renderStep(reply, page, me(req), null));
    app.post(page.path, async (req, reply) => {
      const form = trimmed(req.body);
      const before = await profile.stepsLeft(me(req).id);
      const result = await page.save(profile, me(req), form);
      if (!result.ok) return renderStep(reply, page, me(req), form, result.errors);
      return reply.redirect(await profile.afterStepSaved(me(req).id, before, page.path.split('/').pop()!), 303);
    });
  }

  // "Skip this step", on every feature's step page (profile/views/_step.njk): names the step by its address.
  app.post('/profile/skip', async (req, reply) => {
    const step = trimmed(req.body).step;
    const before = await profile.stepsLeft(me(req).id);
    if (typeof step !== 'string' || !(await profile.skipStep(me(req).id, step))) return reply.redirect('/profile', 303);
    return reply.redirect(await profile.afterStepSaved(me(req).id, before, 'skipped'), 303);
  });

  // After joining, and after the last step: what happens next, said plainly.
  app.get('/profile/welcome', async (req, reply) =>
    reply.render('profile/views/welcome.njk', { pageTitle: msg('profile.welcome.title'), name: me(req).name }),
  );
  app.get('/profile/what-happens-now', async (_req, reply) =>
    reply.render('profile/views/what-happens-now.njk', { pageTitle: msg('profile.whatHappensNow.title') }),
  );
}
