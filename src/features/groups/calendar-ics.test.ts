import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { escapeText, foldLine, paramValue, utcTime, writeCalendar, type IcsEvent } from './calendar-ics.ts';

const event = (over: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'meeting-42@coproduce.example',
  sequence: 3,
  stamp: new Date('2026-03-01T09:00:00Z'),
  start: new Date('2026-03-10T18:30:00Z'),
  end: new Date('2026-03-10T20:00:00Z'),
  summary: 'Lived experience group',
  status: 'CONFIRMED',
  ...over,
});

// Read back with a real iCalendar parser: what a calendar program would understand.
const parse = (text: string) => {
  const cal = new ICAL.Component(ICAL.parse(text));
  return { cal, events: cal.getAllSubcomponents('vevent') };
};
const octets = (line: string) => Buffer.byteLength(line, 'utf8');

describe('the iCalendar writer', () => {
  it('escapes backslashes, semicolons, commas and line breaks in text, backslash first', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    expect(escapeText('C:\\path\\n')).toBe('C:\\\\path\\\\n');
  });

  it('quotes a name in a parameter and drops what cannot be written there', () => {
    expect(paramValue('Smith, Jo: "JJ"')).toBe('"Smith, Jo: JJ"');
    expect(paramValue('Line\nbreak')).toBe('"Linebreak"');
  });

  it('writes times in UTC with a Z', () => {
    expect(utcTime(new Date('2026-07-01T17:30:05.123Z'))).toBe('20260701T173005Z');
  });

  it('folds lines at 75 octets with CRLF and a space, never inside a character', () => {
    const line = `DESCRIPTION:${'ŵŷ'.repeat(60)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(octets(part)).toBeLessThanOrEqual(75);
    for (const part of folded.slice(1)) expect(part.startsWith(' ')).toBe(true);
    // Unfolding gives back exactly the line: no character was cut in two.
    expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
    expect(folded.join('')).not.toContain('\uFFFD');
    const emoji = foldLine(`SUMMARY:${'🙂'.repeat(40)}`).split('\r\n');
    for (const part of emoji) expect(octets(part)).toBeLessThanOrEqual(75);
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
    const ascii = `DESCRIPTION:${'x'.repeat(200)}`;
    const asciiParts = foldLine(ascii).split('\r\n');
    // 212 octets: 75, then 74 and 63 after their spaces.
    expect(asciiParts.map(octets)).toEqual([75, 75, 64]);
    expect(asciiParts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(ascii);
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76)).split('\r\n').map(octets)).toEqual([75, 2]);
  });

  it('writes a calendar with CRLF line ends that a real parser reads back whole', () => {
    const agenda = `Croeso i’r cyfarfod; ŵyr a ŷd, coffi.\nItem 2: ${'Adolygu’r adroddiad, '.repeat(20)}\nC:\\dogfennau`;
    const text = writeCalendar({
      method: 'REQUEST',
      name: 'Ein cyfarfodydd',
      events: [
        event({
          summary: 'Grŵp profiad bywyd, Caerdydd; cyfarfod',
          description: agenda,
          location: 'Neuadd y Dref, 1 Heol y Frenhines, Caerdydd',
          url: 'https://coproduce.example/meetings/42',
          organizer: { name: 'Riverside, Health', email: 'team@example.org' },
          attendee: { name: 'Gwen Ŵyn', email: 'gwen@example.net' },
        }),
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    const { cal, events } = parse(text);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//Coproduce//Meetings//EN');
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(events).toHaveLength(1);
    const e = new ICAL.Event(events[0]);
    expect(e.uid).toBe('meeting-42@coproduce.example');
    expect(e.sequence).toBe(3);
    expect(e.summary).toBe('Grŵp profiad bywyd, Caerdydd; cyfarfod');
    expect(e.description).toBe(agenda);
    expect(e.location).toBe('Neuadd y Dref, 1 Heol y Frenhines, Caerdydd');
    expect(e.startDate.toJSDate().toISOString()).toBe('2026-03-10T18:30:00.000Z');
    expect(e.endDate.toJSDate().toISOString()).toBe('2026-03-10T20:00:00.000Z');
    expect(e.startDate.zone.tzid).toBe('UTC');
    expect(events[0]!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(events[0]!.getFirstPropertyValue('url')).toBe('https://coproduce.example/meetings/42');
    expect(events[0]!.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-03-01T09:00:00Z');
    const organizer = events[0]!.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:team@example.org');
    expect(organizer.getParameter('cn')).toBe('Riverside, Health');
    const attendee = events[0]!.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe('mailto:gwen@example.net');
    expect(attendee.getParameter('cn')).toBe('Gwen Ŵyn');
    expect(attendee.getParameter('partstat')).toBe('ACCEPTED');
  });

  it('says CANCEL and CANCELLED for a cancellation, and leaves out what is not given', () => {
    const text = writeCalendar({ method: 'CANCEL', events: [event({ status: 'CANCELLED', sequence: 4 })] });
    const { cal, events } = parse(text);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events[0]!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(new ICAL.Event(events[0]).sequence).toBe(4);
    for (const absent of ['DESCRIPTION', 'LOCATION', 'URL', 'ORGANIZER', 'ATTENDEE', 'X-WR-CALNAME']) expect(text).not.toContain(absent);
  });

  it('writes an empty feed and a feed of many events', () => {
    expect(parse(writeCalendar({ method: 'PUBLISH', events: [] })).events).toHaveLength(0);
    const many = writeCalendar({
      method: 'PUBLISH',
      events: [1, 2, 3].map((n) => event({ uid: `meeting-${n}@x`, status: n === 2 ? 'TENTATIVE' : 'CONFIRMED' })),
    });
    const { events } = parse(many);
    expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(['meeting-1@x', 'meeting-2@x', 'meeting-3@x']);
    expect(events[1]!.getFirstPropertyValue('status')).toBe('TENTATIVE');
  });
});
