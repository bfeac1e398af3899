import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { organisationKinds, registrationFieldOrder, ORGANISATION_PRIVACY_VERSION, kindKey } from './schema.ts';

export const kindItems = (selected: unknown, tr: Translator) =>
  organisationKinds.map((k) => ({
    value: k.value,
    text: tr.t(kindKey(k.value)),
    hint: 'hasHint' in k ? { text: tr.t(`organisations.kinds.${k.value}.hint`) } : undefined,
    checked: selected === k.value,
  }));

const M = 'organisations';

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
        pageTitle: msg(`${M}.register.title`),
        values,
        errors,
        errorList: formErrorList(errors, registrationFieldOrder),
        kindItems: kindItems(values.kind, reply.request.tr),
        stamp: organisations.issueFormStamp(),
        privacyVersion: ORGANISATION_PRIVACY_VERSION,
      },
      status,
    );
  }

  app.get('/organisations', async (_req, reply) => {
    return reply.render('organisations/views/list.njk', { pageTitle: msg(`${M}.list.title`), items: await organisations.approved() });
  });

  app.get('/organisations/register', async (_req, reply) => renderForm(reply));

  app.post('/organisations/register', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await organisations.register(form, { ip: req.ip, lang: req.lang });
    switch (result.kind) {
      case 'registered':
        return reply.redirect('/organisations/register/done', 303);
      case 'invalid':
        return renderForm(reply, form, result.errors, result.status);
      case 'refused':
        req.log.info({ why: result.why }, 'organisation registration refused');
        return reply.render('organisations/views/not-accepted.njk', { pageTitle: msg(`${M}.notAccepted.title`), reason: 'refused' }, 400);
      case 'rate-limited':
        req.log.info('organisation registration rate limited');
        return reply.render(
          'organisations/views/not-accepted.njk',
          { pageTitle: msg(`${M}.notAccepted.title`), reason: 'rate-limited' },
          429,
        );
    }
  });

  app.get('/organisations/register/done', async (_req, reply) =>
    reply.render('organisations/views/done.njk', { pageTitle: msg(`${M}.done.title`) }),
  );
}
