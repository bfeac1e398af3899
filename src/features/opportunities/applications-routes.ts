import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { notFound } from '#src/lib/errors.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { isContributor, isStaff, type CurrentUser } from '#src/platform/identity/roles.ts';
import { accessNeedOptions, contactMethodOptions, formatOptions } from '#src/features/profile/schema.ts';
import type { ApplicationRow, OpportunityRow, QuestionRow } from './applications-repository.ts';
import { ApplyActionSchema, fieldName } from './applications-schema.ts';
import { questionWords } from './questions-schema.ts';

const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : ([v].flat() as unknown[]).map(String));
// The profile's option lists, in the page's language (their words are the profile's catalogue's).
const items = (tr: Translator, list: string, opts: readonly { value: string }[], chosen: unknown) =>
  opts.map((o) => ({ value: o.value, text: tr.t(`profile.options.${list}.${o.value}`), checked: asList(chosen).includes(o.value) }));

// A question as the form shows it, in the page's language where staff wrote one. A choice's value
// is always the English option; only the words shown change.
function questionField(q: QuestionRow, tr: Translator, value: unknown, error: string | undefined) {
  const words = questionWords(q, tr.lang);
  const label = words.label + (q.required ? '' : ` ${tr.t('common.optional')}`);
  const options =
    q.kind === 'yes-no'
      ? [
          ['yes', tr.t('common.yes')],
          ['no', tr.t('common.no')],
        ]
      : q.options.map((o, i) => [o, words.options[i] ?? o]);
  return {
    name: fieldName(q),
    kind: q.kind,
    label,
    words: words.label,
    optional: q.required ? '' : ` ${tr.t('common.optional')}`,
    // The question's own language when staff wrote none in the page's (marked lang="en" on the page).
    lang: words.contentLang !== tr.lang ? words.contentLang : null,
    hint: words.hint,
    value: typeof value === 'string' ? value : '',
    error,
    items: options.map(([v, text]) => ({ value: v!, text: text!, checked: asList(value).includes(v!) })),
  };
}

const order = (questions: QuestionRow[]) => [
  ...questions.map(fieldName),
  'accessNeeds',
  'accessNeedsNotes',
  'contactMethods',
  'formats',
  'anythingElse',
];

// Applying: the form at /opportunities/<slug>/apply (someone signed out is offered the join form
// there, and comes back to it), and the applicant's own list at /profile/applications.
export default async function applicationRoutes(app: FastifyInstance) {
  const { applications } = app.services;

  // Staff accounts do not apply; someone signed out may read the page but not send it.
  async function applicantsOnly(req: FastifyRequest, reply: FastifyReply) {
    if (isStaff(req.currentUser) || (req.currentUser && !isContributor(req.currentUser)))
      return reply.render('errors/403.njk', { pageTitle: msg('errors.403.title') }, 403);
    if (req.method !== 'GET' && !req.currentUser) return reply.redirect('/sign-in/email');
  }

  async function opportunityOr404(slug: string) {
    const o = await applications.publishedBySlug(slug);
    if (!o) throw notFound('opportunity');
    return o;
  }

  function renderClosed(reply: FastifyReply, o: OpportunityRow, status: number) {
    const { title } = localised(o, ['title'], reply.request.lang);
    return reply.render('opportunities/views/applications/closed.njk', { pageTitle: msg('applications.closed.title'), o, title }, status);
  }

  async function renderForm(
    reply: FastifyReply,
    o: OpportunityRow,
    user: CurrentUser,
    application: ApplicationRow | null,
    form: Record<string, unknown> | null,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const tr = reply.request.tr;
    const questions = await applications.questions(o.id);
    const values = form ?? (await applications.formValues(user.id, application, questions));
    const words = localised(o, ['title', 'summary'], tr.lang);
    return reply.render(
      'opportunities/views/applications/form.njk',
      {
        pageTitle: msg('applications.form.title'),
        o: words,
        fields: questions.map((q) => questionField(q, tr, values[fieldName(q)], errors[fieldName(q)])),
        values,
        draft: application?.state === 'draft',
        saved: reply.request.query && (reply.request.query as Record<string, unknown>).saved === '1',
        accessItems: items(tr, 'accessNeeds', accessNeedOptions, values.accessNeeds),
        contactItems: items(tr, 'contactMethods', contactMethodOptions, values.contactMethods),
        formatItems: items(tr, 'formats', formatOptions, values.formats),
        errors,
        errorList: errorSummary(errors, order(questions)),
      },
      status,
    );
  }

  await app.register(async (apply) => {
    apply.addHook('onRequest', applicantsOnly);

    apply.get<{ Params: { slug: string } }>('/opportunities/:slug/apply', async (req, reply) => {
      const o = await opportunityOr404(req.params.slug);
      const user = req.currentUser;
      if (!user) {
        const { title } = localised(o, ['title'], req.lang);
        const here = `/opportunities/${o.slug}/apply`;
        return reply.render('opportunities/views/applications/join-to-apply.njk', {
          pageTitle: msg('applications.joinToApply.title'),
          o,
          title,
          open: applications.isOpenForApplications(o),
          next: here,
          values: {},
          errors: {},
        });
      }
      const application = await applications.applicationOf(o.id, user.id);
      if (application && application.state !== 'draft') return reply.redirect(`/profile/applications/${application.id}`, 303);
      if (!applications.isOpenForApplications(o)) return renderClosed(reply, o, 200);
      return renderForm(reply, o, user, application, null);
    });

    apply.post<{ Params: { slug: string } }>('/opportunities/:slug/apply', async (req, reply) => {
      const o = await opportunityOr404(req.params.slug);
      const user = req.currentUser!;
      const form = trimmed(req.body);
      const { action } = ApplyActionSchema.parse(form);
      const result = await applications.save(user, o, form, action === 'submit', req.lang);
      switch (result.kind) {
        case 'invalid':
          return renderForm(reply, o, user, await applications.applicationOf(o.id, user.id), form, result.errors, 400);
        case 'closed':
          return renderClosed(reply, o, 409);
        case 'already-sent':
          return reply.render(
            'opportunities/views/applications/already-sent.njk',
            { pageTitle: msg('applications.alreadySent.title'), application: result.application },
            409,
          );
        case 'saved':
          return reply.redirect(`/opportunities/${o.slug}/apply?saved=1`, 303);
        case 'submitted':
          return reply.redirect(`/profile/applications/${result.application.id}?sent=1`, 303);
      }
    });
  });

  await app.register(async (own) => {
    own.addHook('onRequest', requireContributor);
    const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

    own.get('/profile/applications', async (req, reply) => {
      const list = (await applications.mine(me(req).id)).map(({ application, opportunity }) => ({
        application,
        opportunity: localised(opportunity, ['title'], req.lang),
      }));
      // Invitations from staff not yet taken up show beside the applications.
      const invitations = (await app.services.opportunityMatches.openInvitations(me(req).id)).map((i) => ({
        invitedAt: i.invitedAt,
        opportunity: localised(i.opportunity, ['title'], req.lang),
      }));
      return reply.render('opportunities/views/applications/list.njk', { pageTitle: msg('applications.list.title'), list, invitations });
    });

    async function renderOne(
      req: FastifyRequest<{ Params: { id: string } }>,
      reply: FastifyReply,
      page: string,
      extra: Record<string, unknown>,
      status = 200,
    ) {
      const found = await applications.one(me(req).id, idOrNotFound(req.params.id, 'application'));
      if (!found) throw notFound('application');
      const tr = req.tr;
      const answers = found.questions.map((q) => {
        const words = questionWords(q, tr.lang);
        const a = found.answers.get(q.id);
        const text =
          a === undefined
            ? tr.t('applications.show.notAnswered')
            : q.kind === 'yes-no'
              ? tr.t(`common.${a as string}`)
              : asList(a)
                  .map((v) => words.options[q.options.indexOf(v)] ?? v)
                  .join(', ');
        return { label: words.label, text };
      });
      const query = req.query as Record<string, unknown>;
      return reply.render(
        page,
        {
          a: found.application,
          o: localised(found.opportunity, ['title'], req.lang),
          open: applications.isOpenForApplications(found.opportunity),
          answers,
          accessNeeds: items(tr, 'accessNeeds', accessNeedOptions, found.application.accessNeeds)
            .filter((i) => i.checked)
            .map((i) => i.text),
          contactMethods: items(tr, 'contactMethods', contactMethodOptions, found.application.contactMethods)
            .filter((i) => i.checked)
            .map((i) => i.text),
          formats: items(tr, 'formats', formatOptions, found.application.formats)
            .filter((i) => i.checked)
            .map((i) => i.text),
          sent: query.sent === '1',
          withdrawn: query.withdrawn === '1',
          ...extra,
        },
        status,
      );
    }

    own.get<{ Params: { id: string } }>('/profile/applications/:id', async (req, reply) =>
      renderOne(req, reply, 'opportunities/views/applications/show.njk', { pageTitle: msg('applications.show.title') }),
    );

    own.get<{ Params: { id: string } }>('/profile/applications/:id/withdraw', async (req, reply) =>
      renderOne(req, reply, 'opportunities/views/applications/withdraw.njk', { pageTitle: msg('applications.withdraw.title'), errors: {} }),
    );

    own.post<{ Params: { id: string } }>('/profile/applications/:id/withdraw', async (req, reply) => {
      const id = idOrNotFound(req.params.id, 'application');
      const result = await applications.withdraw(me(req), id, trimmed(req.body));
      if (!result.ok && 'gone' in result) throw notFound('application');
      if (!result.ok) {
        const errors = result.errors;
        return renderOne(
          req,
          reply,
          'opportunities/views/applications/withdraw.njk',
          { pageTitle: msg('applications.withdraw.title'), errors, errorList: errorSummary(errors) },
          400,
        );
      }
      return reply.redirect(`/profile/applications/${id}?withdrawn=1`, 303);
    });
  });
}
