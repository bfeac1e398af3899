import type { FastifyInstance, FastifyReply } from 'fastify';
import { dateParts, todayInLondon } from '#src/lib/date-field.ts';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';

type IdParams = { Params: { id: string } };
const V = 'newsletters/views/admin';
const S = 'subscribers.admin';

// Staff add one subscriber who gave consent in person or on paper, and delete one (erasing the
// address; only a count of deletions is kept). The rules are in subscriber-manual.ts.
export default async function manualSubscriberRoutes(app: FastifyInstance) {
  const { manual, topics, admin } = app.services.newsletters;
  app.addHook('onRequest', requireStaff);

  async function renderAdd(reply: FastifyReply, values: Record<string, unknown> | null, errors?: FieldErrors) {
    const shown = values ?? dateParts('consentedOn', todayInLondon());
    const chosen = [shown.topics ?? []].flat().map(String);
    return reply.render(
      `${V}/subscriber-add.njk`,
      {
        pageTitle: msg(`${S}.add.title`),
        section: 'subscribers',
        values: shown,
        topicItems: (await topics.active()).map((t) => ({ value: String(t.id), text: t.name, checked: chosen.includes(String(t.id)) })),
        errors: errors ?? {},
        errorList: errors
          ? errorSummary(errors, ['email', 'name', 'topics', 'consentSource', 'consentedOn']).map((e) =>
              e.href === '#consentedOn' ? { ...e, href: '#consentedOn-day' } : e,
            )
          : [],
      },
      errors ? 400 : 200,
    );
  }

  app.get('/admin/newsletters/subscribers/new', async (_req, reply) => renderAdd(reply, null));

  app.post('/admin/newsletters/subscribers/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await manual.add(req.currentUser!, form);
    if (!result.ok) return renderAdd(reply, form, result.errors);
    return reply.redirect(`/admin/newsletters/subscribers/${result.value}?added=1`, 303);
  });

  const subscriberOf = async (raw: string) => {
    const id = parseId(raw);
    const found = id ? await admin.get(id) : undefined;
    if (!found) throw notFound('subscriber');
    return found;
  };

  app.get<IdParams>('/admin/newsletters/subscribers/:id/delete', async (req, reply) => {
    const subscriber = await subscriberOf(req.params.id);
    return reply.render(`${V}/subscriber-delete.njk`, {
      pageTitle: msg(`${S}.delete.title`, { email: subscriber.email }),
      section: 'subscribers',
      subscriber,
    });
  });

  app.post<IdParams>('/admin/newsletters/subscribers/:id/delete', async (req, reply) => {
    const subscriber = await subscriberOf(req.params.id);
    if ((await manual.remove(req.currentUser!, subscriber.id)) === 'missing') throw notFound('subscriber');
    return reply.redirect('/admin/newsletters/subscribers?deleted=1', 303);
  });
}
