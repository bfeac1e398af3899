import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { organisationKinds, registrationFieldOrder, ORGANISATION_PRIVACY_VERSION } from './schema.ts';

export const kindItems = (selected: unknown) =>
  organisationKinds.map((k) => ({
    value: k.value,
    text: k.text,
    hint: 'hint' in k ? { text: k.hint } : undefined,
    checked: selected === k.value,
  }));

// Errors without a field of their own (a stale form) point at the first field.
export const formErrorList = (errors: FieldErrors, order: string[]) =>
  errorSummary(errors, order).map((i) => (i.href === '#form' ? { ...i, href: '#name' } : i));

// The public side: the list of partner organisations and the form to register interest.
export default async function organisationRoutes(app: FastifyInstance) {
  const { organisations } = app.services;

  function renderForm(reply: FastifyReply, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) {
    return reply.render(
      'organisations/views/register.njk',
      {
        pageTitle: 'Register your organisation',
        values,
        errors,
        errorList: formErrorList(errors, registrationFieldOrder),
        kindItems: kindItems(values.kind),
        stamp: organisations.issueFormStamp(),
        privacyVersion: ORGANISATION_PRIVACY_VERSION,
      },
      status,
    );
  }

  app.get('/organisations', async (_req, reply) => {
    return reply.render('organisations/views/list.njk', { pageTitle: 'Partner organisations', items: await organisations.approved() });
  });

  app.get('/organisations/register', async (_req, reply) => renderForm(reply));

  app.post('/organisations/register', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await organisations.register(form, { ip: req.ip });
    switch (result.kind) {
      case 'registered':
        return reply.redirect('/organisations/register/done', 303);
      case 'invalid':
        return renderForm(reply, form, result.errors, result.status);
      case 'refused':
        req.log.info({ why: result.why }, 'organisation registration refused');
        return reply.render(
          'organisations/views/not-accepted.njk',
          { pageTitle: 'We could not accept your registration', reason: 'refused' },
          400,
        );
      case 'rate-limited':
        req.log.info('organisation registration rate limited');
        return reply.render(
          'organisations/views/not-accepted.njk',
          { pageTitle: 'We could not accept your registration', reason: 'rate-limited' },
          429,
        );
    }
  });

  app.get('/organisations/register/done', async (_req, reply) =>
    reply.render('organisations/views/done.njk', { pageTitle: 'Thank you for registering' }),
  );
}
