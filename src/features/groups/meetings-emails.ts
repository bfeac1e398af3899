import type { Db, Tx } from '#src/db/client.ts';
import type { Translator } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { MeetingRow } from './meetings-repository.ts';
import type { RegistrationRow } from './registrations-repository.ts';

const E = 'meetings.emails';

export const meetingEmailKinds = [
  'registered',
  'waitlisted',
  'promoted',
  'changed',
  'cancelled',
  'place-cancelled',
  'need-arranged',
] as const;
export type MeetingEmailKind = (typeof meetingEmailKinds)[number];
// What changed (a changed meeting), or which need was arranged.
export type MeetingEmailExtra = { changes?: string[]; need?: string; note?: string | null; key?: string };
export type Person = { email: string; name: string };

// When and where, in the reader's language and London time.
export function whenAndWhere(tr: Translator, m: MeetingRow): string[] {
  const when = tr.t(`${E}.when`, { start: tr.dateTime(m.startsAt), end: tr.dateTime(m.endsAt) });
  const where =
    m.mode === 'online'
      ? tr.t(`${E}.online`)
      : tr.t(`${E}.where`, { place: [m.venueName, m.venueAddress].filter(Boolean).join(', ') }) +
        (m.mode === 'hybrid' ? ` ${tr.t(`${E}.orOnline`)}` : '');
  return [when, where];
}

// The calendar invitation an email carries: a place given (or changed) adds the meeting to the
// person's calendar, a cancellation takes it out. A waiting-list place or an arranged need does not
// change the calendar.
const invitationMethod: Partial<Record<MeetingEmailKind, 'REQUEST' | 'CANCEL'>> = {
  registered: 'REQUEST',
  promoted: 'REQUEST',
  changed: 'REQUEST',
  cancelled: 'CANCEL',
  'place-cancelled': 'CANCEL',
};

// Every email about a meeting to one person goes through `send`, in the language stored on their
// registration, enqueued in the caller's transaction, with its calendar invitation.
export function createMeetingEmails(ctx: Pick<FeatureContext, 'services' | 'config' | 'i18n'>) {
  const { config, i18n } = ctx;
  const { mail, settings } = ctx.services;

  function paragraphs(tr: Translator, kind: MeetingEmailKind, m: MeetingRow, extra: MeetingEmailExtra): string[] {
    const title = m.title;
    switch (kind) {
      case 'changed':
        return [
          tr.t(`${E}.changed.text`, { title }),
          ...(extra.changes ?? []).map((c) => tr.t(`${E}.changed.what`, { what: tr.t(`${E}.changes.${c}`) })),
          ...whenAndWhere(tr, m),
        ];
      case 'need-arranged':
        return [
          tr.t(`${E}.need-arranged.text`, { title, need: tr.t(`meetings.needs.${extra.need}`) }),
          ...(extra.note ? [tr.t(`${E}.need-arranged.note`, { note: extra.note })] : []),
          ...whenAndWhere(tr, m),
        ];
      default:
        return [tr.t(`${E}.${kind}.text`, { title }), ...whenAndWhere(tr, m)];
    }
  }

  return {
    async send(tx: Db | Tx, m: MeetingRow, r: RegistrationRow, person: Person, kind: MeetingEmailKind, extra: MeetingEmailExtra = {}) {
      const org = await settings.get();
      const tr = i18n.translator(r.language);
      // A changed meeting is sent to people waiting too: only those with a place get the invitation.
      const method = kind === 'changed' && r.status !== 'registered' ? undefined : invitationMethod[kind];
      // The calendar area's service is built after this one: looked up when an email is sent.
      const calendar = method
        ? await ctx.services.calendar.meetingInvitation(m, {
            method,
            recipient: { name: person.name, email: person.email, lang: tr.lang },
            // The joining link is on the meeting page close to the time (and in the day-before reminder).
            includeJoinUrl: false,
          })
        : undefined;
      await mail.enqueue(
        {
          to: person.email,
          lang: tr.lang,
          subject: tr.t(`${E}.${kind}.subject`, { title: m.title }),
          heading: tr.t(`${E}.${kind}.heading`),
          paragraphs: [tr.t(`${E}.dear`, { name: person.name }), ...paragraphs(tr, kind, m, extra)],
          action: { text: tr.t(`${E}.action`), href: `${config.baseUrl}/meetings/${m.id}${tr.lang === 'cy' ? '?lang=cy' : ''}` },
          footer: [tr.t(`${E}.footer`, { org: org.name })],
          calendar,
        },
        // Keyed by what happened, so a replay never sends one twice, yet each new event is sent.
        { key: `meeting-${kind}-${r.id}-${m.sequence}-${extra.key ?? r.updatedAt.getTime()}`, kind: `meeting-${kind}`, tx },
      );
    },
  };
}
export type MeetingEmails = ReturnType<typeof createMeetingEmails>;
