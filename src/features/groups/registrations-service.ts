import type { Db, Tx } from '#src/db/client.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { isContributor, type CurrentUser } from '#src/platform/identity/roles.ts';
import { membershipOf } from './access.ts';
import { needFromProfile, type MeetingNeed } from './meeting-needs.ts';
import { createMeetingEmails } from './meetings-emails.ts';
import { createMeetingsRepository, type MeetingRow } from './meetings-repository.ts';
import { NeedsSchema, detailField, requestsFrom, type NeedsForm } from './meetings-schema.ts';
import { createRegistrationsRepository, type RegistrationRow } from './registrations-repository.ts';
import { fillFreedPlaces } from './waitlist.ts';

// Whether someone may register now: yes; signed out (sign in or join first); not a contributor
// (staff run meetings, they do not register); not a member of the group; or registration closed.
export type RegisterState = 'open' | 'signed-out' | 'not-contributor' | 'members-only' | 'closed';

export type RegisterOutcome =
  | { kind: 'registered' | 'waitlisted'; registration: RegistrationRow }
  | { kind: 'already'; registration: RegistrationRow }
  | { kind: 'refused'; state: RegisterState }
  | { kind: 'invalid'; errors: FieldErrors };

// The profile's formats that are meeting needs too (its access needs are mapped by needFromProfile).
const needFromFormat: Record<string, MeetingNeed> = { 'large-print': 'large-print', bsl: 'bsl-interpreter' };
const profileNeedOf = Object.fromEntries(Object.entries(needFromProfile).map(([p, m]) => [m, p])) as Partial<Record<MeetingNeed, string>>;

const papersOf = (needs: readonly string[]) => ({ largePrint: needs.includes('large-print'), papersEarly: needs.includes('papers-early') });

// Registering, cancelling and the waiting list, and the access needs given for each meeting. Each
// change runs in one transaction with the meeting row locked, so places are counted once.
export function createRegistrationsService(db: Db, ctx: FeatureContext, now: () => Date = () => new Date()) {
  const meetings = createMeetingsRepository(db);
  const regs = createRegistrationsRepository(db);
  const { audit, profile } = ctx.services;
  const emails = createMeetingEmails(ctx);

  const isClosed = (m: MeetingRow, at: Date) =>
    m.status === 'cancelled' || at >= m.startsAt || (m.registrationClosesAt !== null && at >= m.registrationClosesAt);

  async function stateFor(user: CurrentUser | null, m: MeetingRow): Promise<RegisterState> {
    if (isClosed(m, now())) return 'closed';
    if (!user) return 'signed-out';
    if (!isContributor(user)) return 'not-contributor';
    if (m.registration === 'members' && m.groupId !== null && !(await membershipOf(db, m.groupId, user.id))) return 'members-only';
    return 'open';
  }

  // The needs form filled from what a person already told us: their registration's requests for
  // this meeting, or else their profile's access needs and communication formats.
  async function formValues(userId: string, registration: RegistrationRow | null): Promise<Record<string, unknown>> {
    if (registration) {
      const requests = await regs.requestsOf(registration.id);
      const values: Record<string, unknown> = { needs: requests.map((r) => r.need) };
      for (const r of requests) {
        const field = detailField[r.need as MeetingNeed];
        if (field) values[field] = r.detail ?? '';
      }
      return values;
    }
    const p = await profile.profile(userId);
    if (!p) return { needs: [] };
    const needs = new Set<string>([
      ...p.accessNeeds.flatMap((n) => (needFromProfile[n] ? [needFromProfile[n]] : [])),
      ...p.formats.flatMap((f) => (needFromFormat[f] ? [needFromFormat[f]] : [])),
    ]);
    if (p.accessNeedsNotes) needs.add('other');
    return { needs: [...needs], otherDetail: p.accessNeedsNotes ?? '' };
  }

  // "Also save these to my profile": the needs the profile knows, through the profile's service.
  async function saveToProfile(user: CurrentUser, v: NeedsForm, tx: Tx) {
    const accessNeeds = v.needs.flatMap((n) => (profileNeedOf[n] ? [profileNeedOf[n]] : []));
    await profile.saveAccessNeeds(user, { accessNeeds, accessNeedsNotes: v.otherDetail ?? '' }, tx);
  }

  // A place, or the waiting list when the meeting is full: counted with the meeting row locked.
  async function register(user: CurrentUser | null, meetingId: number, form: unknown, lang: string): Promise<RegisterOutcome> {
    const before = await meetings.byId(meetingId);
    if (!before) return { kind: 'refused', state: 'closed' };
    const state = await stateFor(user, before);
    if (state !== 'open' || !user) return { kind: 'refused', state };
    const v = validateForm(NeedsSchema, form);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    return db.transaction(async (tx): Promise<RegisterOutcome> => {
      const m = (await meetings.lock(meetingId, tx))!;
      if (isClosed(m, now())) return { kind: 'refused', state: 'closed' };
      const existing = await regs.of(m.id, user.id, tx);
      if (existing && existing.status !== 'cancelled') return { kind: 'already', registration: existing };
      const registered = await regs.countRegistered(m.id, tx);
      const status = m.capacity === null || registered < m.capacity ? ('registered' as const) : ('waitlisted' as const);
      const r = await regs.put(existing, { meetingId: m.id, userId: user.id, status, language: lang, ...papersOf(v.value.needs) }, tx);
      if (existing)
        await regs.removeRequests(
          (await regs.requestsOf(r.id, tx)).map((q) => q.id),
          tx,
        );
      await regs.addRequests(r.id, requestsFrom(v.value), tx);
      if (v.value.saveToProfile) await saveToProfile(user, v.value, tx);
      await emails.send(tx, m, r, user, status);
      return { kind: status, registration: r };
    });
  }

  // Giving up a place (or leaving the waiting list): a freed place goes to the first waiting.
  async function cancel(meetingId: number, registrationId: number, staff: CurrentUser | null): Promise<RegistrationRow | null> {
    return db.transaction(async (tx) => {
      const m = await meetings.lock(meetingId, tx);
      const r = await regs.byId(registrationId, tx);
      if (!m || !r || r.meetingId !== m.id || r.status === 'cancelled') return null;
      // Once it has started a place is no longer given up by the person (staff may still).
      if (!staff && m.startsAt <= now()) return null;
      const cancelled = await regs.setStatus(r.id, 'cancelled', tx);
      if (staff) {
        await audit.record(
          {
            actorUserId: staff.id,
            action: 'meeting.place-cancelled',
            subjectUserId: r.userId,
            details: { meetingId: m.id, registrationId: r.id },
          },
          tx,
        );
        const person = (await regs.people([r.userId], tx)).get(r.userId);
        if (person) await emails.send(tx, m, cancelled, person, 'place-cancelled');
      }
      if (r.status === 'registered') await fillFreedPlaces(tx, m, regs, emails);
      return cancelled;
    });
  }

  return {
    stateFor,
    formValues,
    register,
    of: (meetingId: number, userId: string) => regs.of(meetingId, userId),
    requestsOf: (registrationId: number) => regs.requestsOf(registrationId),
    forMeeting: (meetingId: number) => regs.forMeeting(meetingId),
    countRegistered: (meetingId: number) => regs.countRegistered(meetingId),
    people: (ids: string[]) => regs.people(ids),
    mine: (userId: string) => regs.mine(userId),

    async cancelOwn(user: CurrentUser, meetingId: number): Promise<boolean> {
      const r = await regs.of(meetingId, user.id);
      return !!r && !!(await cancel(meetingId, r.id, null));
    },

    cancelByStaff: (staff: CurrentUser, meetingId: number, registrationId: number) => cancel(meetingId, registrationId, staff),

    // Changing what one asked for, later: needs kept keep their "arranged" mark; a need whose detail
    // changes, or a new need, is for staff to arrange.
    async updateNeeds(
      user: CurrentUser,
      meetingId: number,
      form: unknown,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors } | null> {
      const v = validateForm(NeedsSchema, form);
      if (!v.ok) return v;
      return db.transaction(async (tx) => {
        const m = await meetings.lock(meetingId, tx);
        const r = m && (await regs.of(meetingId, user.id, tx));
        if (!m || !r || r.status === 'cancelled' || m.status === 'cancelled') return null;
        const wanted = requestsFrom(v.value);
        const current = await regs.requestsOf(r.id, tx);
        const stale = current.filter((c) => !wanted.some((w) => w.need === c.need && w.detail === c.detail));
        await regs.removeRequests(
          stale.map((c) => c.id),
          tx,
        );
        await regs.addRequests(
          r.id,
          wanted.filter((w) => !current.some((c) => c.need === w.need && c.detail === w.detail)),
          tx,
        );
        await regs.setPapers(r.id, papersOf(v.value.needs), tx);
        if (v.value.saveToProfile) await saveToProfile(user, v.value, tx);
        return { ok: true as const };
      });
    },

    // Deleting an account gives up the person's places first (inside the deletion's transaction),
    // so the waiting lists move up instead of the places staying empty.
    async releasePlacesOf(userId: string, tx: Tx) {
      for (const r of await regs.placesOf(userId, tx)) {
        const m = await meetings.lock(r.meetingId, tx);
        await regs.setStatus(r.id, 'cancelled', tx);
        if (m) await fillFreedPlaces(tx, m, regs, emails);
      }
    },

    // "Download my data": every registration with its meeting and what was asked for.
    async exportFor(userId: string) {
      const rows = await regs.mine(userId);
      return Promise.all(
        rows.map(async ({ registration: r, meeting: m }) => ({
          meeting: m.title,
          startsAt: m.startsAt.toISOString(),
          status: r.status,
          listedAt: r.listedAt.toISOString(),
          largePrint: r.largePrint,
          papersEarly: r.papersEarly,
          accessRequests: (await regs.requestsOf(r.id)).map((q) => ({
            need: q.need,
            detail: q.detail,
            arrangedAt: q.arrangedAt?.toISOString() ?? null,
            note: q.arrangedNote,
          })),
        })),
      );
    },
  };
}
export type RegistrationsService = ReturnType<typeof createRegistrationsService>;
