import type { Translator } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import { withLang } from '#src/plugins/language.ts';
import type { CalendarMeeting } from './calendar-repository.ts';
import type { IcsEvent, IcsPerson, IcsStatus } from './calendar-ics.ts';

// A meeting as one calendar entry, in one language. The joining link is put in only when the
// caller says the person may see it (their own invitation or feed), never in a public file.
export type EventOptions = {
  baseUrl: string;
  tr: Translator;
  // When this copy was made: now for an invitation; left out of files and feeds, which use the
  // meeting's last change, so an unchanged feed is the same bytes (and its ETag still holds).
  stamp?: Date;
  includeJoinUrl: boolean;
  // A waiting-list place in a personal feed is TENTATIVE; a cancelled place or meeting CANCELLED.
  status?: IcsStatus;
  organizer?: IcsPerson;
  attendee?: IcsEvent['attendee'];
};

// Stable across every change to the meeting, so calendar programs update the same entry.
export const meetingUid = (meetingId: number, baseUrl: string) => `meeting-${meetingId}@${new URL(baseUrl).hostname || 'localhost'}`;

export const meetingPageUrl = (meetingId: number, baseUrl: string, lang: string) =>
  `${baseUrl}${lang === 'en' ? `/meetings/${meetingId}` : withLang(`/meetings/${meetingId}`, lang)}`;

// Venue name and address on one line (addresses are typed on several).
export function venueLine(m: Pick<CalendarMeeting, 'venueName' | 'venueAddress'>): string {
  return [m.venueName, m.venueAddress]
    .flatMap((part) => (part ?? '').split(/\r?\n/))
    .map((p) => p.trim().replace(/,$/, ''))
    .filter(Boolean)
    .join(', ');
}

export function meetingEvent(meeting: CalendarMeeting, o: EventOptions): IcsEvent {
  const m = localised(meeting, ['title', 'agendaMarkdown'] as const, o.tr.lang);
  const page = meetingPageUrl(meeting.id, o.baseUrl, o.tr.lang);
  const joinUrl = o.includeJoinUrl && meeting.mode !== 'in-person' ? meeting.joinUrl : null;
  const venue = meeting.mode === 'online' ? '' : venueLine(meeting);
  const description = [
    m.agendaMarkdown.trim(),
    joinUrl ? o.tr.t('calendar.ics.join', { url: joinUrl }) : '',
    o.tr.t('calendar.ics.page', { url: page }),
  ]
    .filter(Boolean)
    .join('\n\n');
  const cancelled = meeting.status === 'cancelled';
  return {
    uid: meetingUid(meeting.id, o.baseUrl),
    sequence: meeting.sequence,
    stamp: o.stamp ?? meeting.updatedAt,
    start: meeting.startsAt,
    end: meeting.endsAt,
    summary: cancelled ? o.tr.t('calendar.ics.cancelledTitle', { title: m.title }) : m.title,
    description,
    // Online: the joining link is where it happens, for those who may have it.
    location: venue || joinUrl || undefined,
    url: page,
    status: cancelled ? 'CANCELLED' : (o.status ?? 'CONFIRMED'),
    organizer: o.organizer,
    attendee: o.attendee,
  };
}
