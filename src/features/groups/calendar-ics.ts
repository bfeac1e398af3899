// Our own small iCalendar (RFC 5545) writer: the few properties calendar programs need for a
// meeting, written by hand so every rule is ours to test (ADR 21). Each rule is checked in
// calendar-ics.test.ts, and the output is read back with a real parser (ical.js).

export type IcsMethod = 'PUBLISH' | 'REQUEST' | 'CANCEL';
export type IcsStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
export type IcsPerson = { name: string; email: string };

export type IcsEvent = {
  // The same for every version of one meeting, so calendar programs update it in place.
  uid: string;
  // Goes up with every change people are told about; a program keeps the highest it has seen.
  sequence: number;
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  status: IcsStatus;
  organizer?: IcsPerson;
  attendee?: IcsPerson & { partstat?: 'ACCEPTED' | 'TENTATIVE' | 'NEEDS-ACTION' };
};

// name and refreshHours are for subscribed feeds: what programs call the calendar, and how often
// to look for changes (RFC 7986 REFRESH-INTERVAL, and the older X-PUBLISHED-TTL Outlook reads).
export type IcsCalendar = { method: IcsMethod; name?: string; refreshHours?: number; events: IcsEvent[] };

export const PRODID = '-//Coproduce//Meetings//EN';
const MAX_OCTETS = 75;

// TEXT values (RFC 5545 3.3.11): backslashes, separators and every line break as \n, in one pass
// so that no backslash written here is escaped again.
const TEXT_SPECIALS = /\\|;|,|\r\n|\r|\n/g;
const escaped: Record<string, string> = { '\\': '\\\\', ';': '\\;', ',': '\\,' };
export function escapeText(value: string): string {
  return value.replace(TEXT_SPECIALS, (c) => escaped[c] ?? '\\n');
}

// A parameter value (a person's name in CN=): quoted, since names have commas and colons; a double
// quote cannot be written inside one at all, and control characters are dropped.
export function paramValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`;
}

// 20260301T183000Z: every time in UTC, so no VTIMEZONE is needed (ADR 21).
export function utcTime(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// Lines longer than 75 octets are folded: CRLF and one space, which counts towards the next
// line's 75. A character's UTF-8 bytes are never split across lines (ŵ is two octets, an emoji four).
export function foldLine(line: string): string {
  if (line.length <= MAX_OCTETS / 4 || Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  // Plain ASCII (most lines): one octet a character, so cut by length.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(line)) {
    const parts = [line.slice(0, MAX_OCTETS)];
    for (let i = MAX_OCTETS; i < line.length; i += MAX_OCTETS - 1) parts.push(line.slice(i, i + MAX_OCTETS - 1));
    return parts.join('\r\n ');
  }
  const out: string[] = [];
  let start = 0;
  let octets = 0;
  for (let i = 0; i < line.length;) {
    const cp = line.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + size > MAX_OCTETS) {
      out.push(line.slice(start, i));
      start = i;
      // The space that starts a continuation line counts too.
      octets = 1;
    }
    octets += size;
    i += units;
  }
  out.push(line.slice(start));
  return out.join('\r\n ');
}

function eventLines(e: IcsEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utcTime(e.stamp)}`,
    `DTSTART:${utcTime(e.start)}`,
    `DTEND:${utcTime(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.url) lines.push(`URL:${e.url}`);
  lines.push(`STATUS:${e.status}`);
  if (e.organizer) lines.push(`ORGANIZER;CN=${paramValue(e.organizer.name)}:mailto:${e.organizer.email}`);
  if (e.attendee) {
    const a = e.attendee;
    lines.push(`ATTENDEE;CN=${paramValue(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${a.partstat ?? 'ACCEPTED'};RSVP=FALSE:mailto:${a.email}`);
  }
  lines.push('END:VEVENT');
  return lines;
}

export function writeCalendar(cal: IcsCalendar): string {
  const lines = ['BEGIN:VCALENDAR', `PRODID:${PRODID}`, 'VERSION:2.0', 'CALSCALE:GREGORIAN', `METHOD:${cal.method}`];
  if (cal.name) lines.push(`X-WR-CALNAME:${escapeText(cal.name)}`);
  if (cal.refreshHours) lines.push(`REFRESH-INTERVAL;VALUE=DURATION:PT${cal.refreshHours}H`, `X-PUBLISHED-TTL:PT${cal.refreshHours}H`);
  for (const e of cal.events) lines.push(...eventLines(e));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
