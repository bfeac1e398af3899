import { describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import ICAL from 'ical.js';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { meetingRegistrations } from './tables.ts';
import { insertMeeting, insertRegistration } from './calendar-test-support.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const parse = (text: string) => new ICAL.Component(ICAL.parse(text));

// Reminders a week and a day before, to everyone with a place, in their language, with what they
// asked for; through the mail log under one key each, so nothing is ever sent twice.
describe('meeting reminders', async () => {
  const sink = await startSmtpSink();
  const { db, services } = await buildTestApp({ smtpUrl: sink.url });
  const { meetingReminders } = services;
  // Summer time: 17:30 UTC is 6:30pm in London.
  const start = new Date('2030-07-10T17:30:00Z');
  const meeting = await insertMeeting(db, {
    title: 'Clinic design group',
    startsAt: start,
    endsAt: new Date(start.getTime() + 90 * 60_000),
  });
  const eli = await insertContributor(db, 'Eli English');
  const gwen = await insertContributor(db, 'Gwen Gymraeg');
  const wyn = await insertContributor(db, 'Wyn Waiting');
  const cara = await insertContributor(db, 'Cara Cancelled');
  const lee = await insertContributor(db, 'Lee Late');
  const eliPlace = await insertRegistration(db, meeting.id, eli.id, {}, [
    { need: 'bsl-interpreter', arrangedAt: new Date() },
    { need: 'dietary', detail: 'Vegan' },
  ]);
  await insertRegistration(db, meeting.id, gwen.id, { language: 'cy' });
  await insertRegistration(db, meeting.id, wyn.id, { status: 'waitlisted' });
  await insertRegistration(db, meeting.id, cara.id, { status: 'cancelled', cancelledAt: new Date() });
  // Registered two days before: too late for the week's reminder, in time for the day's.
  await insertRegistration(db, meeting.id, lee.id, { listedAt: new Date(start.getTime() - 2 * DAY) });
  const calledOff = await insertMeeting(db, { title: 'Called off', startsAt: start, status: 'cancelled' });
  await insertRegistration(db, calledOff.id, eli.id);
  const reminders = (email?: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.kind, 'meeting-reminder'), email ? eq(mailMessages.toAddress, email) : undefined))
      .orderBy(mailMessages.id);

  it('sends the week’s reminder to people with a place, in their language, with the place, its access and what they asked for', async () => {
    expect(await meetingReminders.sendDue(new Date(start.getTime() - 7 * DAY + HOUR))).toEqual({ due: 2, sent: 2 });
    const all = await reminders();
    expect(all.map((m) => m.toAddress).sort()).toEqual([eli.email, gwen.email].sort());
    const [en] = await reminders(eli.email);
    expect(en!.idempotencyKey).toBe(`meeting-reminder:${meeting.id}:${eli.id}:7`);
    expect(en!.subject).toBe('Reminder: Clinic design group is in a week');
    expect(en!.textBody).toContain('Dear Eli English,');
    expect(en!.textBody).toContain('When: Wednesday, 10 July 2030, 6:30pm to 8:00pm (UK time).');
    expect(en!.textBody).toContain('Where: Riverside Community Hall, 1 Mill Lane, Riverside, RV1 2AB.');
    expect(en!.textBody).toContain('The venue has step-free access, a hearing loop.');
    expect(en!.textBody).toContain(
      'You asked for: A British Sign Language (BSL) interpreter: arranged; Dietary needs (Vegan): not arranged yet: we will tell you when it is.',
    );
    expect(en!.textBody).toContain(`See the meeting: http://localhost:3000/meetings/${meeting.id}`);
    const [cy] = await reminders(gwen.email);
    expect(cy!.subject).toBe('Nodyn atgoffa: mae Clinic design group ymhen wythnos');
    expect(cy!.textBody).toContain('Pryd: Dydd Mercher, 10 Gorffennaf 2030');
    expect(cy!.textBody).toContain('Mae gan y lleoliad mynediad heb risiau, dolen glyw.');
    expect(cy!.textBody).toContain(`http://localhost:3000/meetings/${meeting.id}?lang=cy`);
    // Each carries an invitation that updates the same calendar entry.
    const cal = parse(en!.calendar!.content);
    expect(en!.calendar!.method).toBe('REQUEST');
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const e = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(e.uid).toBe(`meeting-${meeting.id}@localhost`);
    expect(e.startDate.toJSDate().toISOString()).toBe(start.toISOString());
    expect(e.attendees[0]!.getFirstValue()).toBe(`mailto:${eli.email}`);
  });

  it('never sends the same reminder twice: again, at the same time, or by two instances at once', async () => {
    const at = new Date(start.getTime() - 7 * DAY + 2 * HOUR);
    expect(await meetingReminders.sendDue(at)).toEqual({ due: 2, sent: 0 });
    // Two instances racing: both may render it, the mail log accepts it once.
    await db.delete(mailMessages).where(like(mailMessages.idempotencyKey, `meeting-reminder:${meeting.id}:${gwen.id}:%`));
    await Promise.all([meetingReminders.sendDue(at), meetingReminders.sendDue(at)]);
    expect(await reminders(gwen.email)).toHaveLength(1);
    expect(await reminders()).toHaveLength(2);
  });

  it('drops a reminder whose moment passed long ago, and sends nothing between the marks', async () => {
    expect(await meetingReminders.sendDue(new Date(start.getTime() - 7 * DAY + 13 * HOUR))).toEqual({ due: 0, sent: 0 });
    expect(await meetingReminders.sendDue(new Date(start.getTime() - 3 * DAY))).toEqual({ due: 0, sent: 0 });
  });

  it('sends the day’s reminder, not to a place cancelled since, nor after the start', async () => {
    await db
      .update(meetingRegistrations)
      .set({ status: 'cancelled', cancelledAt: new Date() })
      .where(eq(meetingRegistrations.id, eliPlace.id));
    expect(await meetingReminders.sendDue(new Date(start.getTime() - DAY + 5 * 60_000))).toEqual({ due: 2, sent: 2 });
    expect((await reminders(lee.email)).map((m) => m.subject)).toEqual(['Reminder: Clinic design group is tomorrow']);
    expect((await reminders(gwen.email)).map((m) => m.subject)).toEqual([
      'Nodyn atgoffa: mae Clinic design group ymhen wythnos',
      'Nodyn atgoffa: mae Clinic design group yfory',
    ]);
    expect(await reminders(eli.email)).toHaveLength(1);
    expect(await reminders(wyn.email)).toEqual([]);
    expect(await reminders(cara.email)).toEqual([]);
    expect(await meetingReminders.sendDue(new Date(start.getTime() + HOUR))).toEqual({ due: 0, sent: 0 });
  });

  it('arrives over SMTP with a text/calendar part that a calendar program can read', async () => {
    const delivered = await waitFor(() => sink.to(lee.email)[0]);
    expect(delivered.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const mail = await sink.parse(delivered);
    const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
    const cal = parse(part!.content.toString('utf8'));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid')).toBe(`meeting-${meeting.id}@localhost`);
    expect(mail.text).toContain('Dear Lee Late,');
  });

  it('gives an online meeting’s joining link to people with a place, in the email and the invitation', async () => {
    const online = await insertMeeting(db, {
      title: 'Online check-in',
      startsAt: start,
      mode: 'online',
      joinUrl: 'https://video.example/check-in',
      reminderDays: [2],
    });
    await insertRegistration(db, online.id, lee.id);
    expect(await meetingReminders.sendDue(new Date(start.getTime() - 2 * DAY + HOUR))).toEqual({ due: 1, sent: 1 });
    const [email] = (await reminders(lee.email)).filter((m) => m.subject.includes('Online check-in'));
    expect(email!.subject).toBe('Reminder: Online check-in is in 2 days');
    expect(email!.textBody).toContain('This meeting is online. Join here: https://video.example/check-in');
    expect(email!.textBody).not.toContain('Where:');
    expect(email!.textBody).toContain('If you need anything to take part, reply to this email and tell us.');
    const e = parse(email!.calendar!.content).getFirstSubcomponent('vevent')!;
    expect(e.getFirstPropertyValue('location')).toBe('https://video.example/check-in');
  });
});

// The one call the meetings area makes for confirmation, change and cancellation emails.
describe('a meeting invitation for an email', async () => {
  const sink = await startSmtpSink();
  const { db, services } = await buildTestApp({ smtpUrl: sink.url });
  const meeting = await insertMeeting(db, { title: 'Hybrid forum', mode: 'hybrid', joinUrl: 'https://video.example/forum', sequence: 1 });
  const recipient = { name: 'Gwen Ŵyn', email: 'gwen@example.net', lang: 'cy' };

  it('is a REQUEST with the person as attendee, and the joining link only when asked', async () => {
    const withLink = await services.calendar.meetingInvitation(meeting, { method: 'REQUEST', recipient, includeJoinUrl: true });
    expect(withLink.method).toBe('REQUEST');
    expect(withLink.fileName).toBe('invite.ics');
    expect(withLink.content).toContain('video.example/forum');
    const e = new ICAL.Event(parse(withLink.content).getFirstSubcomponent('vevent')!);
    expect(e.sequence).toBe(1);
    expect(e.attendees[0]!.getParameter('cn')).toBe('Gwen Ŵyn');
    expect(e.description).toContain('Tudalen y cyfarfod');
    const organizer = parse(withLink.content).getFirstSubcomponent('vevent')!.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:no-reply@localhost');
    const without = await services.calendar.meetingInvitation(meeting, { method: 'REQUEST', recipient, includeJoinUrl: false });
    expect(without.content).not.toContain('video.example');
  });

  it('is a CANCEL that removes the same entry, sent over SMTP as method=CANCEL', async () => {
    const cancel = await services.calendar.meetingInvitation(
      { ...meeting, status: 'cancelled', sequence: 2 },
      { method: 'CANCEL', recipient, includeJoinUrl: true },
    );
    const cal = parse(cancel.content);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    const vevent = cal.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(2);
    expect(vevent.getFirstPropertyValue('uid')).toBe(`meeting-${meeting.id}@localhost`);
    expect(cancel.content).not.toContain('video.example');
    await services.mail.enqueue(
      {
        to: recipient.email,
        lang: 'cy',
        subject: 'Cyfarfod wedi’i ganslo',
        paragraphs: ['Mae’r cyfarfod wedi’i ganslo.'],
        calendar: cancel,
      },
      { key: `test-cancel-${meeting.id}`, kind: 'test' },
    );
    const delivered = await waitFor(() => sink.to(recipient.email)[0]);
    expect(delivered.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=CANCEL/i);
    const part = (await sink.parse(delivered)).attachments.find((a) => a.contentType === 'text/calendar');
    expect(parse(part!.content.toString('utf8')).getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
