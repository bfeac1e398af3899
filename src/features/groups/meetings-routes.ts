import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { meetingNeeds } from './meeting-needs.ts';
import type { MeetingRow } from './meetings-repository.ts';
import { presentMeeting } from './meetings-presenting.ts';
import type { RegisterState } from './registrations-service.ts';

type IdParams = { Params: { id: string } };
const V = 'groups/views/meetings';
const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : [v].flat().map(String));
const needsOrder = ['needs', 'dietaryDetail', 'travelDetail', 'otherDetail'];

// The public and contributor side: open events at /events, each meeting's page (who may see it:
// meetings-service `mayView`; anyone else gets 404), registering with access needs, cancelling,
// changing one's needs, and the contributor's own list at /profile/meetings.
export default async function meetingsRoutes(app: FastifyInstance) {
  const { meetings, meetingRegistrations: registrations } = app.services;

  async function visible(req: FastifyRequest<IdParams>): Promise<MeetingRow> {
    const m = await meetings.byId(idOrNotFound(req.params.id, 'meeting'));
    // A meeting someone may not see answers as if it did not exist.
    if (!m || !(await meetings.mayView(req.currentUser, m))) throw notFound('meeting');
    return m;
  }

  async function renderMeeting(req: FastifyRequest, reply: FastifyReply, m: MeetingRow, notice?: string, status = 200) {
    const user = req.currentUser;
    const tr = req.tr;
    const [registered, mine, state, insider] = await Promise.all([
      registrations.countRegistered(m.id),
      user ? registrations.of(m.id, user.id) : null,
      registrations.stateFor(user, m),
      meetings.isInsider(user, m),
    ]);
    const active = mine && mine.status !== 'cancelled' ? mine : null;
    const requests = active ? await registrations.requestsOf(active.id) : [];
    const query = req.query as Record<string, unknown>;
    return reply.render(
      `${V}/meeting.njk`,
      {
        pageTitle: m.title,
        m: presentMeeting(m, tr, registered),
        groupName: m.groupId ? await meetings.groupName(m.groupId) : null,
        mine: active,
        // Places are given up, and needs changed, only before the meeting starts.
        upcoming: m.startsAt > new Date() && m.status !== 'cancelled',
        state,
        requests: requests.map((r) => ({ ...r, needText: tr.t(`meetings.needs.${r.need}`) })),
        joinLink: active?.status === 'registered' && meetings.joinLinkOpen(m) ? m.joinUrl : null,
        joinLinkLater: active?.status === 'registered' && !!m.joinUrl && !meetings.joinLinkOpen(m) && m.endsAt > new Date(),
        minutesShown: !!m.minutesPublishedAt && (m.minutesPublic || insider),
        saved:
          typeof query.saved === 'string' && ['registered', 'waitlisted', 'cancelled', 'needs', 'already'].includes(query.saved)
            ? query.saved
            : null,
        notice,
      },
      status,
    );
  }

  async function renderNeedsForm(
    req: FastifyRequest,
    reply: FastifyReply,
    m: MeetingRow,
    page: 'register' | 'needs',
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const tr = req.tr;
    const registered = await registrations.countRegistered(m.id);
    const chosen = asList(values.needs);
    return reply.render(
      `${V}/register.njk`,
      {
        pageTitle: msg(page === 'register' ? 'meetings.register.title' : 'meetings.changeNeeds.title'),
        page,
        m: presentMeeting(m, tr, registered),
        values,
        needItems: meetingNeeds.map((n) => ({ value: n, text: tr.t(`meetings.needs.${n}`), checked: chosen.includes(n) })),
        errors,
        errorList: errorSummary(errors, needsOrder),
      },
      status,
    );
  }

  app.get('/events', async (req, reply) => {
    const list = await meetings.upcomingOpen();
    return reply.render(`${V}/events.njk`, { pageTitle: msg('meetings.events.title'), events: list.map((m) => presentMeeting(m, req.tr)) });
  });

  app.get<IdParams>('/meetings/:id', async (req, reply) => renderMeeting(req, reply, await visible(req)));

  // Someone signed out is offered sign-in or joining, and comes back here.
  app.get<IdParams>('/meetings/:id/register', async (req, reply) => {
    const m = await visible(req);
    const user = req.currentUser;
    const state = await registrations.stateFor(user, m);
    if (state === 'signed-out') {
      return reply.render(`${V}/join-to-register.njk`, {
        pageTitle: msg('meetings.joinToRegister.title'),
        m: presentMeeting(m, req.tr),
        next: `/meetings/${m.id}/register`,
        values: {},
        errors: {},
      });
    }
    const mine = user ? await registrations.of(m.id, user.id) : null;
    if (mine && mine.status !== 'cancelled') return reply.redirect(`/meetings/${m.id}?saved=already`, 303);
    if (state !== 'open') return renderMeeting(req, reply, m, state, state === 'closed' ? 409 : 403);
    return renderNeedsForm(req, reply, m, 'register', await registrations.formValues(user!.id, null));
  });

  app.post<IdParams>('/meetings/:id/register', async (req, reply) => {
    const m = await visible(req);
    if (!req.currentUser) return reply.redirect(`/sign-in/email?next=${encodeURIComponent(`/meetings/${m.id}/register`)}`);
    const form = trimmed(req.body);
    const outcome = await registrations.register(req.currentUser, m.id, form, req.lang);
    switch (outcome.kind) {
      case 'invalid':
        return renderNeedsForm(req, reply, m, 'register', form, outcome.errors, 400);
      case 'refused':
        return renderMeeting(req, reply, (await meetings.byId(m.id))!, outcome.state, refusedStatus(outcome.state));
      case 'already':
        return renderMeeting(req, reply, m, 'already', 409);
      default:
        return reply.redirect(`/meetings/${m.id}?saved=${outcome.kind}`, 303);
    }
  });

  await app.register(async (own) => {
    own.addHook('onRequest', requireContributor);
    const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

    own.post<IdParams>('/meetings/:id/cancel', async (req, reply) => {
      const m = await visible(req);
      if (!(await registrations.cancelOwn(me(req), m.id))) return renderMeeting(req, reply, m, 'notRegistered', 409);
      return reply.redirect(`/meetings/${m.id}?saved=cancelled`, 303);
    });

    own.get<IdParams>('/meetings/:id/needs', async (req, reply) => {
      const m = await visible(req);
      const mine = await registrations.of(m.id, me(req).id);
      if (!mine || mine.status === 'cancelled') throw notFound('registration');
      return renderNeedsForm(req, reply, m, 'needs', await registrations.formValues(me(req).id, mine));
    });

    own.post<IdParams>('/meetings/:id/needs', async (req, reply) => {
      const m = await visible(req);
      const form = trimmed(req.body);
      const result = await registrations.updateNeeds(me(req), m.id, form);
      if (result === null) throw notFound('registration');
      if (!result.ok) return renderNeedsForm(req, reply, m, 'needs', form, result.errors, 400);
      return reply.redirect(`/meetings/${m.id}?saved=needs`, 303);
    });

    own.get('/profile/meetings', async (req, reply) => {
      const now = new Date();
      const rows = (await registrations.mine(me(req).id)).map(({ registration, meeting }) => ({
        registration,
        m: presentMeeting(meeting, req.tr),
      }));
      const active = rows.filter((r) => r.registration.status !== 'cancelled');
      return reply.render(`${V}/mine.njk`, {
        pageTitle: msg('meetings.mine.title'),
        registered: active.filter((r) => r.registration.status === 'registered' && r.m.endsAt >= now).reverse(),
        waiting: active.filter((r) => r.registration.status === 'waitlisted' && r.m.endsAt >= now).reverse(),
        past: active.filter((r) => r.m.endsAt < now),
      });
    });
  });
}

const refusedStatus = (state: RegisterState) => (state === 'closed' ? 409 : 403);
