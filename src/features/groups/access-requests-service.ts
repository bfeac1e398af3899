import type { Db } from '#src/db/client.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createAccessRequestsRepository } from './access-requests-repository.ts';
import { createMeetingEmails } from './meetings-emails.ts';
import { createMeetingsRepository } from './meetings-repository.ts';
import { ArrangedSchema } from './meetings-schema.ts';
import { createRegistrationsRepository } from './registrations-repository.ts';

// Staff's side of access needs: the list of what to arrange for a meeting (health data: every look
// is audited), marking each arranged (the person is told), and erasing them a while after the meeting.
export function createAccessRequestsService(db: Db, ctx: FeatureContext, now: () => Date = () => new Date()) {
  const repo = createAccessRequestsRepository(db);
  const meetings = createMeetingsRepository(db);
  const regs = createRegistrationsRepository(db);
  const { audit } = ctx.services;
  const emails = createMeetingEmails(ctx);

  return {
    async listForStaff(staff: CurrentUser, meetingId: number) {
      const rows = await repo.forMeeting(meetingId);
      await audit.record({
        actorUserId: staff.id,
        action: 'meeting.access-needs-viewed',
        details: { meetingId, shown: rows.length, people: new Set(rows.map((r) => r.registration.userId)).size },
      });
      return rows;
    },

    // Marked arranged (with an optional note) and the person emailed, together.
    async arrange(
      staff: CurrentUser,
      meetingId: number,
      requestId: number,
      form: unknown,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors } | null> {
      const v = validateForm(ArrangedSchema, form);
      if (!v.ok) return v;
      return db.transaction(async (tx) => {
        const found = await repo.one(requestId, tx);
        if (!found || found.registration.meetingId !== meetingId) return null;
        if (found.request.arrangedAt) return { ok: true as const };
        const m = (await meetings.byId(meetingId, tx))!;
        await repo.markArranged(requestId, { arrangedBy: staff.id, arrangedNote: v.value.note, at: now() }, tx);
        await audit.record(
          {
            actorUserId: staff.id,
            action: 'meeting.access-need-arranged',
            subjectUserId: found.registration.userId,
            details: { meetingId, requestId, need: found.request.need },
          },
          tx,
        );
        const person = (await regs.people([found.registration.userId], tx)).get(found.registration.userId);
        if (person)
          await emails.send(tx, m, found.registration, person, 'need-arranged', {
            need: found.request.need,
            note: v.value.note,
            key: String(requestId),
          });
        return { ok: true as const };
      });
    },

    pendingUpcoming: () => repo.pendingUpcoming(now()),

    // MEETING_ACCESS_RETENTION_DAYS after a meeting ends its access requests are deleted; the
    // person's profile keeps its own copy only if they chose to save it there.
    eraseAfter: (at: Date, days: number) => repo.eraseForMeetingsEndedBefore(new Date(at.getTime() - days * 86_400_000)),
  };
}
export type AccessRequestsService = ReturnType<typeof createAccessRequestsService>;
