import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { WALK_IN_ROWS } from './attendance-service.ts';
import type { MeetingRow } from './meetings-repository.ts';
import { presentMeeting } from './meetings-presenting.ts';
import { minutesBetween } from './meetings-time.ts';
import { attendanceRoles } from './tables.ts';

type IdParams = { Params: { id: string } };
const V = 'groups/views/meetings/admin';
const hours = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);

// Staff, after and around a meeting: what people asked for and marking it arranged (health data,
// every look audited), attendance with hours, and the minutes.
export default async function meetingsStaffRoutes(app: FastifyInstance) {
  const { meetings, meetingRegistrations: registrations, meetingAccessRequests: access, meetingAttendance: attendance } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  const find = (raw: string) => meetings.found(idOrNotFound(raw, 'meeting'));

  async function renderAccess(req: FastifyRequest, reply: FastifyReply, m: MeetingRow, errors: FieldErrors = {}, status = 200) {
    const rows = await access.listForStaff(me(req), m.id);
    const tr = req.tr;
    return reply.render(
      `${V}/access.njk`,
      {
        pageTitle: msg('meetings.admin.access.title'),
        m: presentMeeting(m, tr),
        toArrange: rows
          .filter((r) => !r.request.arrangedAt)
          .map((r) => ({
            ...r.request,
            name: r.name,
            needText: tr.t(`meetings.needs.${r.request.need}`),
            waitlisted: r.registration.status === 'waitlisted',
          })),
        arranged: rows
          .filter((r) => r.request.arrangedAt)
          .map((r) => ({ ...r.request, name: r.name, needText: tr.t(`meetings.needs.${r.request.need}`) })),
        errors,
        errorList: errorSummary(errors),
        saved: (req.query as Record<string, unknown>).saved === 'arranged',
      },
      status,
    );
  }

  app.get<IdParams>('/admin/meetings/:id/access', async (req, reply) => renderAccess(req, reply, await find(req.params.id)));

  app.post<{ Params: { id: string; requestId: string } }>('/admin/meetings/:id/access/:requestId/arranged', async (req, reply) => {
    const m = await find(req.params.id);
    const requestId = idOrNotFound(req.params.requestId, 'access request');
    const result = await access.arrange(me(req), m.id, requestId, trimmed(req.body));
    if (result === null) throw notFound('access request');
    if (!result.ok)
      return renderAccess(req, reply, m, { [`note-${requestId}`]: result.errors.note ?? Object.values(result.errors)[0]! }, 400);
    return reply.redirect(`/admin/meetings/${m.id}/access?saved=arranged`, 303);
  });

  async function renderAttendance(
    req: FastifyRequest,
    reply: FastifyReply,
    m: MeetingRow,
    form: Record<string, unknown> | null,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const [list, recorded] = await Promise.all([registrations.forMeeting(m.id), attendance.forMeeting(m.id)]);
    const people = await registrations.people(list.map((r) => r.userId));
    const length = hours(minutesBetween(m.startsAt, m.endsAt));
    const byUser = new Map(recorded.filter((a) => a.userId).map((a) => [a.userId!, a]));
    const walkIns = recorded.filter((a) => a.walkIn);
    const values: Record<string, unknown> = form ?? {};
    const rows = list
      .filter((r) => r.status !== 'cancelled' || byUser.has(r.userId))
      .map((r) => {
        const was = byUser.get(r.userId);
        const ticked = form
          ? [values.attended ?? []].flat().includes(String(r.id))
          : was
            ? true
            : !recorded.length && r.status === 'registered';
        return {
          id: r.id,
          name: people.get(r.userId)?.name ?? '',
          waitlisted: r.status === 'waitlisted',
          ticked,
          hours: form ? values[`hours-${r.id}`] : was ? hours(was.minutes) : length,
          role: form ? values[`role-${r.id}`] : (was?.role ?? 'member'),
        };
      });
    const walkInRows = Array.from({ length: walkIns.length + WALK_IN_ROWS }, (_, i) => {
      const n = i + 1;
      const was = walkIns[i];
      return {
        n,
        name: form ? values[`walkInName-${n}`] : (was?.walkInName ?? ''),
        hours: form ? values[`walkInHours-${n}`] : was ? hours(was.minutes) : length,
        role: form ? values[`walkInRole-${n}`] : (was?.role ?? 'guest'),
      };
    });
    const roleItems = (chosen: unknown) =>
      attendanceRoles.map((r) => ({ value: r, text: req.tr.t(`meetings.options.attendanceRole.${r}`), selected: r === chosen }));
    return reply.render(
      `${V}/attendance.njk`,
      {
        pageTitle: msg('meetings.admin.attendance.title'),
        m: presentMeeting(m, req.tr),
        rows: rows.map((r) => ({ ...r, roleItems: roleItems(r.role) })),
        walkInRows: walkInRows.map((r) => ({ ...r, roleItems: roleItems(r.role) })),
        recordedAt: m.attendanceRecordedAt,
        errors,
        errorList: errorSummary(errors),
        saved: (req.query as Record<string, unknown>).saved === 'attendance',
      },
      status,
    );
  }

  app.get<IdParams>('/admin/meetings/:id/attendance', async (req, reply) => renderAttendance(req, reply, await find(req.params.id), null));

  app.post<IdParams>('/admin/meetings/:id/attendance', async (req, reply) => {
    const m = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await attendance.record(me(req), m.id, form);
    if (!result.ok) return renderAttendance(req, reply, m, form, result.errors, 400);
    return reply.redirect(`/admin/meetings/${m.id}/attendance?saved=attendance`, 303);
  });

  const renderMinutes = (
    req: FastifyRequest,
    reply: FastifyReply,
    m: MeetingRow,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) =>
    reply.render(
      `${V}/minutes.njk`,
      {
        pageTitle: msg('meetings.admin.minutes.title'),
        m: presentMeeting(m, req.tr),
        values,
        publishItems: ['draft', 'members', 'public'].map((v) => ({
          value: v,
          text: req.tr.t(`meetings.admin.minutes.publish.${v}${v === 'members' && m.groupId === null ? 'Event' : ''}`),
          checked: values.publish === v,
        })),
        errors,
        errorList: errorSummary(errors, ['minutes', 'publish']),
        saved: (req.query as Record<string, unknown>).saved === 'minutes',
      },
      status,
    );

  app.get<IdParams>('/admin/meetings/:id/minutes', async (req, reply) => {
    const m = await find(req.params.id);
    const publish = m.minutesPublic ? 'public' : m.minutesPublishedAt ? 'members' : 'draft';
    return renderMinutes(req, reply, m, { minutes: m.minutesMarkdown ?? '', publish });
  });

  app.post<IdParams>('/admin/meetings/:id/minutes', async (req, reply) => {
    const m = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await attendance.saveMinutes(me(req), m.id, form);
    if (!result.ok) return renderMinutes(req, reply, m, form, result.errors, 400);
    return reply.redirect(`/admin/meetings/${m.id}/minutes?saved=minutes`, 303);
  });
}
