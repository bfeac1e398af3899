import type { Db } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { ok, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { canSeeInside, canSeeMeeting, membershipOf } from './access.ts';
import { createMeetingEmails } from './meetings-emails.ts';
import { createMeetingsRepository, type MeetingRow, type NewMeeting } from './meetings-repository.ts';
import { readMeetingForm, type MeetingFields } from './meetings-schema.ts';
import { createRegistrationsRepository } from './registrations-repository.ts';
import { createMeetingSaidDid } from './meetings-said-did.ts';
import { fillFreedPlaces } from './waitlist.ts';

const V = 'meetings.admin.validation';

// What a staff change to a meeting came to.
export type SaveOutcome =
  { kind: 'saved'; meeting: MeetingRow } | { kind: 'invalid'; errors: Record<string, string> } | { kind: 'cancelled' };

// The changes people are told about (and that make calendars update): each has words in the
// catalogue (`meetings.emails.changes.<kind>`).
function changesBetween(before: MeetingRow, after: MeetingFields): string[] {
  const changes: string[] = [];
  if (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime()) changes.push('time');
  if (before.mode !== after.mode || (before.venueName ?? null) !== after.venueName || (before.venueAddress ?? null) !== after.venueAddress)
    changes.push('place');
  if (before.title !== after.title) changes.push('title');
  if ((before.joinUrl ?? null) !== after.joinUrl) changes.push('joinUrl');
  return changes;
}

function toRow(v: MeetingFields): Partial<NewMeeting> {
  const online = v.mode === 'online';
  return {
    title: v.title,
    agendaMarkdown: v.agenda,
    agendaHtml: renderMarkdown(v.agenda),
    startsAt: v.startsAt,
    endsAt: v.endsAt,
    mode: v.mode,
    venueName: online ? null : v.venueName,
    venueAddress: online ? null : v.venueAddress,
    venueAccess: online ? [] : v.venueAccess,
    venueNotes: online ? null : v.venueNotes,
    joinUrl: v.mode === 'in-person' ? null : v.joinUrl,
    capacity: v.capacity,
    registration: v.registration,
    registrationClosesAt: v.registrationClosesAt,
    reminderDays: v.reminderDays.length ? v.reminderDays : [7, 1],
    papersEarlyOn: v.papersEarlyOn,
  };
}

// Meetings and open events: staff make and change them (everyone registered is told what
// changed), and the pages ask who may see one and whether its joining link shows yet.
export function createMeetingsService(db: Db, ctx: FeatureContext, now: () => Date = () => new Date()) {
  const repo = createMeetingsRepository(db);
  const regs = createRegistrationsRepository(db);
  const { audit } = ctx.services;
  const emails = createMeetingEmails(ctx);

  const service = {
    // Starting a "you said, we did" entry from a meeting's minutes (accountability feature).
    ...createMeetingSaidDid(db),
    byId: (id: number) => repo.byId(id),
    // For staff pages, where a meeting that is not there is simply not found.
    async found(id: number): Promise<MeetingRow> {
      const m = await repo.byId(id);
      if (!m) throw notFound('meeting');
      return m;
    },
    forGroupRows: (groupId: number) => repo.forGroup(groupId),
    groupName: (groupId: number) => repo.groupName(groupId),
    groupExists: (groupId: number) => repo.groupExists(groupId),
    staffList: (past: boolean) => repo.staffList(now(), past),

    // A group's meetings for its page: upcoming soonest first, past latest first.
    async forGroup(groupId: number): Promise<{ upcoming: MeetingRow[]; past: MeetingRow[] }> {
      const all = await repo.forGroup(groupId);
      const at = now();
      return { upcoming: all.filter((m) => m.endsAt >= at), past: all.filter((m) => m.endsAt < at).reverse() };
    },

    // Open events not yet over, for /events and the lead's pages.
    upcomingOpen: () => repo.upcomingOpen(now()),

    // Who may open a meeting's page: access.ts's rule (open events public; a group's meetings for
    // members and the staff who run groups), and any signed-in contributor when a group's meeting
    // takes registrations from everyone (they could not register for a page they cannot see).
    async mayView(user: CurrentUser | null, m: MeetingRow): Promise<boolean> {
      return canSeeMeeting(db, user, m);
    },

    // Members (or staff) of the meeting's group: who may register for a members-only meeting and
    // read minutes published to members. For an open event, everyone registered counts.
    async isInsider(user: CurrentUser | null, m: MeetingRow): Promise<boolean> {
      if (!user) return false;
      if (m.groupId === null) return (await regs.of(m.id, user.id))?.status === 'registered' || canSeeInside(user, null);
      return canSeeInside(user, await membershipOf(db, m.groupId, user.id));
    },

    // The joining link shows to registered people from `joinLinkOpensMinutes` before the start
    // until the end: shared earlier, it would be passed on.
    joinLinkOpen(m: MeetingRow, at = now()): boolean {
      return (
        !!m.joinUrl && m.status === 'scheduled' && at.getTime() >= m.startsAt.getTime() - m.joinLinkOpensMinutes * 60_000 && at <= m.endsAt
      );
    },

    async create(staff: CurrentUser, groupId: number | null, form: Record<string, unknown>): Promise<Result<MeetingRow>> {
      const v = readMeetingForm(form, groupId === null);
      if (!v.ok) return v;
      return ok(
        await db.transaction(async (tx) => {
          const m = await repo.insert({ ...(toRow(v.value) as NewMeeting), groupId, createdBy: staff.id }, tx);
          await audit.record({ actorUserId: staff.id, action: 'meeting.created', details: { meetingId: m.id, groupId } }, tx);
          return m;
        }),
      );
    },

    // A change: refused on a cancelled meeting; capacity never below the places already given;
    // a change people are told about increments `sequence` and emails everyone registered or waiting.
    async update(staff: CurrentUser, id: number, form: Record<string, unknown>): Promise<SaveOutcome> {
      return db.transaction(async (tx) => {
        const before = await repo.lock(id, tx);
        if (!before || before.status === 'cancelled') return { kind: 'cancelled' as const };
        const v = readMeetingForm(form, before.groupId === null);
        if (!v.ok) return { kind: 'invalid' as const, errors: v.errors };
        const registered = await regs.countRegistered(id, tx);
        if (v.value.capacity !== null && v.value.capacity < registered)
          return { kind: 'invalid' as const, errors: { capacity: msg(`${V}.capacityBelow`, { count: registered }) } };
        const changes = changesBetween(before, v.value);
        const m = await repo.update(id, { ...toRow(v.value), sequence: before.sequence + (changes.length ? 1 : 0) }, tx);
        await audit.record({ actorUserId: staff.id, action: 'meeting.changed', details: { meetingId: id, changes } }, tx);
        if (changes.length) await tellEveryone(tx, m, 'changed', changes);
        // More places than before: the waiting list moves up now, not at the next cancellation.
        await fillFreedPlaces(tx, m, regs, emails);
        return { kind: 'saved' as const, meeting: m };
      });
    },

    async cancel(staff: CurrentUser, id: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const before = await repo.lock(id, tx);
        if (!before || before.status === 'cancelled') return false;
        const m = await repo.update(id, { status: 'cancelled', cancelledAt: now(), sequence: before.sequence + 1 }, tx);
        await audit.record({ actorUserId: staff.id, action: 'meeting.cancelled', details: { meetingId: id } }, tx);
        await tellEveryone(tx, m, 'cancelled');
        return true;
      });
    },
  };

  async function tellEveryone(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    m: MeetingRow,
    kind: 'changed' | 'cancelled',
    changes: string[] = [],
  ) {
    const list = await regs.toTell(m.id, tx);
    const people = await regs.people(
      list.map((r) => r.userId),
      tx,
    );
    for (const r of list) {
      const person = people.get(r.userId);
      if (person) await emails.send(tx, m, r, person, kind, { changes, key: String(m.sequence) });
    }
  }

  return service;
}
export type MeetingsService = ReturnType<typeof createMeetingsService>;
