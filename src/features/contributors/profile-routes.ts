import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { forwardCookies, toWebHeaders } from '#src/platform/identity/plugin.ts';
import { isContributor, type CurrentUser } from '#src/platform/identity/roles.ts';
import type { ProfileRow } from './repository.ts';
import type { Result } from './service.ts';
import { diversityItems } from './diversity.ts';
import { organisationsProfileStep } from '#src/features/organisations/profile-step.ts';
import {
  accessNeedOptions,
  comingSoonSteps,
  contactMethodOptions,
  formatOptions,
  interestOptions,
  paymentOptions,
  PRIVACY_NOTICE_VERSION,
  publicSectorOptions,
  regionOptions,
  timeOptions,
  wayOptions,
} from './schema.ts';

// Profiles belong to contributors; staff accounts have none. Anyone signed out is sent to sign in.
const requireContributor: preHandlerAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) return reply.redirect('/sign-in/email');
  if (!isContributor(req.currentUser)) return reply.render('errors/403.njk', { pageTitle: 'You cannot see this page' }, 403);
};

const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : ([v].flat() as unknown[]).map(String));
const items = (opts: readonly { value: string; text: string; hint?: string }[], chosen: unknown) =>
  opts.map((o) => ({
    value: o.value,
    text: o.text,
    hint: o.hint ? { text: o.hint } : undefined,
    checked: asList(chosen).includes(o.value),
  }));

type StepView = {
  template: string;
  pageTitle: string;
  order: string[];
  values: (u: CurrentUser, p: ProfileRow | null) => Promise<Record<string, unknown>> | Record<string, unknown>;
};

export default async function profileRoutes(app: FastifyInstance) {
  const { contributors } = app.services;
  app.addHook('preHandler', requireContributor);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function renderProfile(reply: FastifyReply, user: CurrentUser, extra: { saved?: string; errors?: FieldErrors } = {}, status = 200) {
    const [tasks, consent, profile] = await Promise.all([
      contributors.taskList(user.id),
      contributors.consentStatus(user.id),
      contributors.profile(user.id),
    ]);
    const taskItems = [
      ...tasks.map((t) => ({
        title: { text: t.title },
        hint: { text: t.hint },
        href: t.href,
        status: t.completed ? { text: 'Completed' } : { tag: { text: 'Not started', classes: 'nhsuk-tag--blue' } },
      })),
      ...comingSoonSteps.map((title) => ({
        title: { text: title },
        status: { text: 'Coming soon', classes: 'nhsuk-task-list__status--cannot-start-yet' },
      })),
    ];
    const errors = extra.errors ?? {};
    return reply.render(
      'contributors/views/profile.njk',
      {
        pageTitle: 'Your profile',
        taskItems,
        done: tasks.filter((t) => t.completed).length,
        total: tasks.length,
        consent,
        greeting: profile?.preferredName || user.name,
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
      return renderProfile(reply, me(req), { errors: { consent: 'Confirm that you have read the privacy notice and agree to it' } }, 400);
    }
    await contributors.agreeToCurrentNotice(me(req).id);
    return reply.redirect('/profile?saved=consent', 303);
  });

  // Each step: GET shows the form with what is saved; POST saves or re-renders with errors.
  function step(path: string, view: StepView, save: (u: CurrentUser, form: unknown) => Promise<Result>) {
    const render = async (
      reply: FastifyReply,
      user: CurrentUser,
      values: Record<string, unknown> | null,
      errors: FieldErrors = {},
      status = 200,
    ) => {
      const profile = await contributors.profile(user.id);
      const saved = await view.values(user, profile);
      const shown = values ?? saved;
      return reply.render(
        view.template,
        { pageTitle: view.pageTitle, values: shown, errors, errorList: errorSummary(errors, view.order), ...(await extras(path, shown)) },
        status,
      );
    };
    app.get(path, async (req, reply) => render(reply, me(req), null));
    app.post(path, async (req, reply) => {
      const form = trimmed(req.body);
      const result = await save(me(req), form);
      if (!result.ok) return render(reply, me(req), form, result.errors, 400);
      return reply.redirect(`/profile?saved=${path.split('/').pop()}`, 303);
    });
  }

  async function extras(path: string, values: Record<string, unknown>) {
    switch (path) {
      case '/profile/contact':
        return { contactItems: items(contactMethodOptions, values.contactMethods), formatItems: items(formatOptions, values.formats) };
      case '/profile/interests':
        return { interestItems: items(interestOptions, values.interests) };
      case '/profile/availability':
        return {
          timeItems: items(timeOptions, values.availableTimes),
          wayItems: items(wayOptions, values.availableWays),
          regionItems: [
            { value: '', text: 'Choose where you live' },
            ...regionOptions.map((r) => ({ value: r, text: r, selected: values.region === r })),
          ],
        };
      case '/profile/diversity':
        return { questions: diversityItems(values) };
      case '/profile/access-needs':
        return { accessItems: items(accessNeedOptions, values.accessNeeds) };
      case '/profile/payment':
        return {
          paymentItems: paymentOptions.map((o) => ({ value: o.value, text: o.text, checked: values.paymentPreference === o.value })),
          publicSectorItems: publicSectorOptions.map((o) => ({
            value: o.value,
            text: o.text,
            checked: values.publicSectorEmployee === o.value,
          })),
        };
      case '/profile/lived-experience': {
        const groups = contributors.termsByCategory(await contributors.terms());
        const chosen = asList(values.terms);
        return {
          groups: groups.map((g) => ({
            ...g,
            items: g.terms.map((t) => ({ value: String(t.id), text: t.label, checked: chosen.includes(String(t.id)) })),
          })),
        };
      }
      default:
        return {};
    }
  }

  step(
    '/profile/details',
    {
      template: 'contributors/views/step-details.njk',
      pageTitle: 'Your details',
      order: ['name', 'preferredName', 'phone'],
      values: (u, p) => ({ name: u.name, preferredName: p?.preferredName, phone: p?.phone }),
    },
    (u, f) => contributors.saveDetails(u, f),
  );
  step(
    '/profile/contact',
    {
      template: 'contributors/views/step-contact.njk',
      pageTitle: 'How to contact you',
      order: ['contactMethods', 'phone', 'postalAddress', 'formats', 'interpreterLanguage'],
      values: (_u, p) => ({
        contactMethods: p?.contactMethods ?? [],
        phone: p?.phone,
        postalAddress: p?.postalAddress,
        formats: p?.formats ?? [],
        interpreterLanguage: p?.interpreterLanguage,
      }),
    },
    (u, f) => contributors.saveContact(u, f),
  );
  step(
    '/profile/lived-experience',
    {
      template: 'contributors/views/step-lived-experience.njk',
      pageTitle: 'Your lived experience',
      order: ['terms', 'notes'],
      values: async (u, p) => ({ terms: (await contributors.chosenTerms(u.id)).map((t) => String(t.id)), notes: p?.livedExperienceNotes }),
    },
    (u, f) => contributors.saveLivedExperience(u, f),
  );
  step(
    '/profile/interests',
    {
      template: 'contributors/views/step-interests.njk',
      pageTitle: 'Interests',
      order: ['interests'],
      values: (_u, p) => ({ interests: p?.interests ?? [] }),
    },
    (u, f) => contributors.saveInterests(u, f),
  );

  step(
    '/profile/availability',
    {
      template: 'contributors/views/step-availability.njk',
      pageTitle: 'Availability',
      order: ['availableTimes', 'availableWays', 'region'],
      values: (_u, p) => ({ availableTimes: p?.availableTimes ?? [], availableWays: p?.availableWays ?? [], region: p?.region }),
    },
    (u, f) => contributors.saveAvailability(u, f),
  );
  step(
    '/profile/access-needs',
    {
      template: 'contributors/views/step-access-needs.njk',
      pageTitle: 'Access needs',
      order: ['accessNeeds', 'accessNeedsNotes'],
      values: (_u, p) => ({ accessNeeds: p?.accessNeeds ?? [], accessNeedsNotes: p?.accessNeedsNotes }),
    },
    (u, f) => contributors.saveAccessNeeds(u, f),
  );
  step(
    '/profile/payment',
    {
      template: 'contributors/views/step-payment.njk',
      pageTitle: 'Payment preferences',
      order: ['paymentPreference', 'publicSectorEmployee'],
      values: (_u, p) => ({ paymentPreference: p?.paymentPreference, publicSectorEmployee: p?.publicSectorEmployee }),
    },
    (u, f) => contributors.savePayment(u, f),
  );

  step(
    '/profile/diversity',
    {
      template: 'contributors/views/step-diversity.njk',
      pageTitle: 'Equality and diversity',
      order: [],
      values: async (u) => (await contributors.diversityAnswers(u.id)) ?? {},
    },
    (u, f) => contributors.saveDiversity(u, f),
  );

  app.get('/profile/data', async (req, reply) => {
    const data = await contributors.exportData(me(req).id);
    await contributors.recordDownload(me(req).id, 'page');
    return reply.render('contributors/views/data.njk', { pageTitle: 'Your data', data, privacyVersion: PRIVACY_NOTICE_VERSION });
  });

  // The partner organisations feature owns this step's rules and page.
  organisationsProfileStep(app);

  app.get('/profile/data.json', async (req, reply) => {
    const data = await contributors.exportData(me(req).id);
    await contributors.recordDownload(me(req).id, 'json');
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="my-data.json"')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/profile/delete', async (_req, reply) =>
    reply.render('contributors/views/delete.njk', { pageTitle: 'Delete your account', errors: {} }),
  );

  app.post('/profile/delete', async (req, reply) => {
    const body = trimmed(req.body);
    if (body.confirm !== 'yes') {
      const errors = { confirm: 'Confirm that you want to delete your account' };
      return reply.render(
        'contributors/views/delete.njk',
        { pageTitle: 'Delete your account', errors, errorList: errorSummary(errors) },
        400,
      );
    }
    const user = me(req);
    const out = await app.auth.api.signOut({ headers: toWebHeaders(req), asResponse: true });
    await contributors.deleteAccount(user);
    forwardCookies(out, reply);
    return reply.redirect('/account-deleted', 303);
  });
}
