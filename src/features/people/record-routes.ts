import type { FastifyInstance, FastifyReply } from 'fastify';
import { dateParts, todayInLondon } from '#src/lib/date-field.ts';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { editableSteps, parsePersonId } from './person-pages.ts';
import { contactMethods } from './tables.ts';

const V = 'people/views';
const R = 'people-records.admin';

// Involvement staff keep a person's record: record that they contacted them, and change their
// answers on their behalf (someone who told them on the phone, or does not use email).
export default async function recordRoutes(app: FastifyInstance) {
  const { people, profile } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  async function contributor(raw: string) {
    const id = parsePersonId(raw);
    const account = await app.services.identity.findAccountById(id);
    if (!account || !(await people.isContributor(id))) throw notFound('person');
    return { id, name: account.name, account, href: `/admin/people/${encodeURIComponent(id)}` };
  }

  async function renderContact(reply: FastifyReply, raw: string, values: Record<string, unknown> | null, errors?: FieldErrors) {
    const person = await contributor(raw);
    const { t } = reply.request.tr;
    const shown = values ?? dateParts('contactedOn', todayInLondon());
    return reply.render(
      `${V}/record-contact.njk`,
      {
        pageTitle: msg(`${R}.contact.title`, { name: person.name }),
        person: { name: person.name, href: person.href },
        values: shown,
        methodItems: contactMethods.map((m) => ({ value: m, text: t(`${R}.contact.method.options.${m}`), checked: shown.method === m })),
        errors: errors ?? {},
        errorList: errors
          ? errorSummary(errors, ['contactedOn', 'method', 'note']).map((e) =>
              e.href === '#contactedOn' ? { ...e, href: '#contactedOn-day' } : e,
            )
          : [],
      },
      errors ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string } }>('/admin/people/:id/contact', async (req, reply) => renderContact(reply, req.params.id, null));

  app.post<{ Params: { id: string } }>('/admin/people/:id/contact', async (req, reply) => {
    const person = await contributor(req.params.id);
    const form = trimmed(req.body);
    const result = await people.recordContact(req.currentUser!, person.id, form);
    if (!result.ok) return renderContact(reply, req.params.id, form, result.errors);
    return reply.redirect(`${person.href}?saved=contact#contacts`, 303);
  });

  type StepParams = { Params: { id: string; step: string } };
  const stepOf = (key: string) => {
    const page = editableSteps.get(key);
    if (!page) throw notFound('page');
    return page;
  };

  async function renderStep(reply: FastifyReply, raw: string, key: string, form: Record<string, unknown> | null, errors: FieldErrors = {}) {
    const page = stepOf(key);
    const person = await contributor(raw);
    // Opening their answers to change them is looking at their record (health data, some of it).
    if (!form) await people.recordView(reply.request.currentUser!, person.id);
    const values = form ?? (await page.values(profile, { ...person.account, jobTitle: null }, await profile.profile(person.id)));
    const choices = (await page.choices?.(profile, values, reply.request.tr)) ?? {};
    return reply.render(
      `${V}/edit-step.njk`,
      {
        pageTitle: msg(`${R}.edit.title`, { name: person.name, step: page.pageTitle }),
        stepTemplate: page.template,
        staffAction: `${person.href}/edit/${key}`,
        person: { name: person.name, href: person.href },
        values,
        errors,
        errorList: errorSummary(errors, page.order),
        ...choices,
      },
      form ? 400 : 200,
    );
  }

  app.get<StepParams>('/admin/people/:id/edit/:step', async (req, reply) => renderStep(reply, req.params.id, req.params.step, null));

  app.post<StepParams>('/admin/people/:id/edit/:step', async (req, reply) => {
    const page = stepOf(req.params.step);
    const person = await contributor(req.params.id);
    const form = trimmed(req.body);
    const result = await people.editStep(req.currentUser!, person.id, page, form);
    if (!result.ok) return renderStep(reply, req.params.id, req.params.step, form, result.errors);
    return reply.redirect(`${person.href}?saved=${req.params.step}`, 303);
  });
}
