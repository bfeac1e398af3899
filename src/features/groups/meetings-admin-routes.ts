import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { MeetingRow } from './meetings-repository.ts';
import { presentMeeting } from './meetings-presenting.ts';
import { meetingFieldOrder } from './meetings-schema.ts';
import { dateBoxes, utcToLondon } from './meetings-time.ts';
import { meetingModes, meetingRegistrationKinds, venueAccessOptions } from './tables.ts';

type IdParams = { Params: { id: string } };
const V = 'groups/views/meetings/admin';
const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : [v].flat().map(String));
const savedKinds = ['created', 'changed', 'cancelled', 'place-cancelled', 'arranged', 'attendance', 'minutes'];

// A stored meeting as the form's fields (London time).
function formValues(m: MeetingRow): Record<string, unknown> {
  const start = utcToLondon(m.startsAt);
  const closes = m.registrationClosesAt ? utcToLondon(m.registrationClosesAt) : null;
  return {
    ...m,
    agenda: m.agendaMarkdown,
    ...dateBoxes('date', start.date),
    startTime: start.time,
    endTime: utcToLondon(m.endsAt).time,
    capacity: m.capacity === null ? '' : String(m.capacity),
    ...dateBoxes('closes', closes?.date ?? null),
    closesTime: closes?.time ?? '',
    reminderDays: m.reminderDays.join(', '),
    ...dateBoxes('papersEarly', m.papersEarlyOn),
  };
}

// Staff: the list of meetings, scheduling one (for a group, or an open event), changing and
// cancelling it, and its registrations and waiting list. Admins and involvement staff, who run groups.
export default async function meetingsAdminRoutes(app: FastifyInstance) {
  const { meetings, meetingRegistrations: registrations, audit } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  const find = (raw: string) => meetings.found(idOrNotFound(raw, 'meeting'));

  async function renderForm(
    req: FastifyRequest,
    reply: FastifyReply,
    target: { meeting: MeetingRow | null; groupId: number | null },
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = req.tr;
    const item = (list: string, chosen: unknown) => (v: string) => ({
      value: v,
      text: t(`meetings.options.${list}.${v}`),
      checked: asList(chosen).includes(v),
    });
    const { meeting, groupId } = target;
    return reply.render(
      `${V}/form.njk`,
      {
        pageTitle: msg(meeting ? 'meetings.admin.form.editTitle' : 'meetings.admin.form.newTitle'),
        meeting,
        groupName: groupId ? await meetings.groupName(groupId) : null,
        openEvent: groupId === null,
        values,
        errors,
        errorList: errorSummary(errors, meetingFieldOrder),
        formAction: meeting
          ? `/admin/meetings/${meeting.id}/edit`
          : groupId
            ? `/admin/groups/${groupId}/meetings/new`
            : '/admin/meetings/new',
        modeItems: meetingModes.map(item('mode', values.mode)),
        accessItems: venueAccessOptions.map(item('venueAccess', values.venueAccess)),
        registrationItems: meetingRegistrationKinds.map(item('registration', values.registration)),
      },
      status,
    );
  }

  async function renderOne(req: FastifyRequest, reply: FastifyReply, m: MeetingRow, notice?: string, status = 200) {
    const list = await registrations.forMeeting(m.id);
    const people = await registrations.people(list.map((r) => r.userId));
    // Who is registered is personal data of people with lived experience: each look is recorded.
    await audit.record({
      actorUserId: me(req).id,
      action: 'meeting.registrations-viewed',
      details: { meetingId: m.id, shown: list.length },
    });
    const named = list.map((r) => ({ ...r, name: people.get(r.userId)?.name ?? '', email: people.get(r.userId)?.email ?? '' }));
    const registered = named.filter((r) => r.status === 'registered');
    const saved = (req.query as Record<string, unknown>).saved;
    return reply.render(
      `${V}/meeting.njk`,
      {
        pageTitle: m.title,
        m: presentMeeting(m, req.tr, registered.length),
        groupName: m.groupId ? await meetings.groupName(m.groupId) : null,
        registered,
        waiting: named.filter((r) => r.status === 'waitlisted'),
        largePrint: registered.filter((r) => r.largePrint),
        papersEarly: registered.filter((r) => r.papersEarly),
        saved: typeof saved === 'string' && savedKinds.includes(saved) ? saved : null,
        notice,
        // Once minutes are published: record them in "you said, we did" (accountability feature).
        saidDidAction: m.minutesPublishedAt ? await app.services.saidDid.actionFor('meeting', m.id) : null,
      },
      status,
    );
  }

  const defaults = { mode: 'in-person', registration: 'members', reminderDays: '7, 1' };

  app.get('/admin/meetings', async (req, reply) => {
    const past = (req.query as Record<string, unknown>).show === 'past';
    const rows = await meetings.staffList(past);
    return reply.render(`${V}/list.njk`, {
      pageTitle: msg('meetings.admin.list.title'),
      past,
      items: rows.map((r) => ({ m: presentMeeting(r.meeting, req.tr), groupName: r.groupName })),
    });
  });

  app.get('/admin/meetings/new', async (req, reply) =>
    renderForm(req, reply, { meeting: null, groupId: null }, { ...defaults, registration: 'open' }),
  );

  app.post('/admin/meetings/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await meetings.create(me(req), null, form);
    if (!result.ok) return renderForm(req, reply, { meeting: null, groupId: null }, form, result.errors, 400);
    return reply.redirect(`/admin/meetings/${result.value.id}?saved=created`, 303);
  });

  async function groupOr404(raw: string) {
    const groupId = idOrNotFound(raw, 'group');
    if (!(await meetings.groupExists(groupId))) throw notFound('group');
    return groupId;
  }

  app.get<IdParams>('/admin/groups/:id/meetings/new', async (req, reply) =>
    renderForm(req, reply, { meeting: null, groupId: await groupOr404(req.params.id) }, defaults),
  );

  app.post<IdParams>('/admin/groups/:id/meetings/new', async (req, reply) => {
    const groupId = await groupOr404(req.params.id);
    const form = trimmed(req.body);
    const result = await meetings.create(me(req), groupId, form);
    if (!result.ok) return renderForm(req, reply, { meeting: null, groupId }, form, result.errors, 400);
    return reply.redirect(`/admin/meetings/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams>('/admin/meetings/:id', async (req, reply) => renderOne(req, reply, await find(req.params.id)));

  app.get<IdParams>('/admin/meetings/:id/edit', async (req, reply) => {
    const m = await find(req.params.id);
    if (m.status === 'cancelled') return renderOne(req, reply, m, 'cancelled', 409);
    return renderForm(req, reply, { meeting: m, groupId: m.groupId }, formValues(m));
  });

  app.post<IdParams>('/admin/meetings/:id/edit', async (req, reply) => {
    const m = await find(req.params.id);
    const form = trimmed(req.body);
    const outcome = await meetings.update(me(req), m.id, form);
    if (outcome.kind === 'cancelled') return renderOne(req, reply, m, 'cancelled', 409);
    if (outcome.kind === 'invalid') return renderForm(req, reply, { meeting: m, groupId: m.groupId }, form, outcome.errors, 400);
    return reply.redirect(`/admin/meetings/${m.id}?saved=changed`, 303);
  });

  app.get<IdParams>('/admin/meetings/:id/cancel', async (req, reply) => {
    const m = await find(req.params.id);
    if (m.status === 'cancelled') return renderOne(req, reply, m, 'cancelled', 409);
    return reply.render(`${V}/cancel.njk`, { pageTitle: msg('meetings.admin.cancel.title'), m: presentMeeting(m, req.tr) });
  });

  app.post<IdParams>('/admin/meetings/:id/cancel', async (req, reply) => {
    const m = await find(req.params.id);
    if (!(await meetings.cancel(me(req), m.id))) return renderOne(req, reply, m, 'cancelled', 409);
    return reply.redirect(`/admin/meetings/${m.id}?saved=cancelled`, 303);
  });

  app.post<{ Params: { id: string; registrationId: string } }>(
    '/admin/meetings/:id/registrations/:registrationId/cancel',
    async (req, reply) => {
      const m = await find(req.params.id);
      const done = await registrations.cancelByStaff(me(req), m.id, idOrNotFound(req.params.registrationId, 'registration'));
      if (!done) throw notFound('registration');
      return reply.redirect(`/admin/meetings/${m.id}?saved=place-cancelled`, 303);
    },
  );
}
