import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';
import { londonToday, yearsFrom } from './review-dates.ts';
import { insertClaim, insertRate, rawKey } from './review-test-support.ts';

const LIST = '/admin/involvement/records';
const NEW = `${LIST}/new`;
const day = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'occurredOn-day': String(Number(d)), 'occurredOn-month': String(Number(m)), 'occurredOn-year': y! };
};

// Records by hand: involvement staff add one for a person by their email address; it shows on
// the person's records and moves their "last involved"; staff say what difference it made.
describe('involvement records written by staff', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: staff, staff: lead } = await signedInBrowser(app, 'involvement');
  await insertRate(db, { kind: 'meeting', unit: 'hour', effectiveFrom: '2024-04-06' });
  await insertRate(db, {
    kind: 'conference',
    name: 'Speaking at a conference',
    unit: 'task',
    amountPence: 10000,
    effectiveFrom: '2024-04-06',
  });
  const person = await insertContributor(db, 'Rhian Recorded');
  const lastInvolved = async () =>
    (await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, person.id)))[0]!.lastInvolvedAt;
  const add = (fields: Record<string, string>) =>
    staff.submit(NEW, NEW, {
      email: person.email.toUpperCase(),
      title: 'Spoke at our annual conference',
      activityKind: 'conference',
      ...day('2026-03-20'),
      hours: '',
      units: '',
      role: 'speaker',
      difference: '',
      leadUserId: lead.id,
      ...fields,
    });

  it('adds a record for a contributor found by email address, on their records, moving "last involved"', async () => {
    const form = await staff.get(NEW);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Speaking at a conference');
    expect(form.body).not.toContain('value="mileage"');
    expect(form.body).not.toMatch(rawKey);
    const res = await add({ difference: 'Our consent form was rewritten after the talk.' });
    expect(res.statusCode).toBe(303);
    const [mine] = await services.involvementRecords.ofPerson(person.id);
    expect(mine!.record).toMatchObject({
      source: 'manual',
      title: 'Spoke at our annual conference',
      activityKind: 'conference',
      occurredOn: '2026-03-20',
      units: 1,
      role: 'speaker',
      leadUserId: lead.id,
      difference: 'Our consent form was rewritten after the talk.',
    });
    expect(res.headers.location).toBe(`${LIST}/${mine!.record.id}?saved=added`);
    expect((await lastInvolved())?.toISOString().slice(0, 10)).toBe('2026-03-20');
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.action, 'involvement.record-added'));
    expect(audits[0]).toMatchObject({ subjectUserId: person.id });
    const list = await staff.get(LIST);
    expect(list.body).toContain('Rhian Recorded');
    expect(list.body).toContain('Added by staff');
    expect(list.body).not.toMatch(rawKey);
  });

  it('records hours for a kind paid by the hour, and unpaid involvement', async () => {
    expect((await add({ title: 'Hospital visit', activityKind: 'meeting', hours: '1:30', ...day('2026-04-01') })).statusCode).toBe(303);
    expect((await add({ title: 'Helped at a stall', activityKind: 'unpaid', ...day('2026-04-02') })).statusCode).toBe(303);
    const rows = (await services.involvementRecords.ofPerson(person.id)).map((r) => r.record);
    expect(rows.find((r) => r.title === 'Hospital visit')).toMatchObject({ minutes: 90, activityKind: 'meeting' });
    expect(rows.find((r) => r.title === 'Helped at a stall')).toMatchObject({ activityKind: null, minutes: 0 });
    expect((await lastInvolved())?.toISOString().slice(0, 10)).toBe('2026-04-02');
  });

  it('refuses an unknown address, a staff address, a future date and missing hours, changing nothing', async () => {
    const before = (await services.involvementRecords.ofPerson(person.id)).length;
    const cases: [Record<string, string>, string][] = [
      [{ email: 'nobody@example.org' }, 'No contributor has an account with that email address'],
      [{ email: lead.email }, 'No contributor has an account with that email address'],
      [{ ...day(yearsFrom(londonToday(), 1)) }, 'The date must be today or in the past'],
      [{ activityKind: 'meeting', hours: '' }, 'this kind is paid by the hour'],
      [{ activityKind: 'meeting', hours: '30' }, 'Enter the hours as a number up to 24'],
      [{ units: '0' }, 'Enter the units as a whole number from 1 to 100'],
      [{ activityKind: 'mileage' }, 'Select the kind of activity'],
      [{ title: '' }, 'Enter the activity'],
      [{ leadUserId: person.id }, 'Select a staff lead'],
    ];
    for (const [fields, message] of cases) {
      const res = await add(fields);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).not.toMatch(rawKey);
    }
    expect(await services.involvementRecords.ofPerson(person.id)).toHaveLength(before);
  });

  it('changes "what difference it made", which the person then sees, and links to a claim for them', async () => {
    const [r] = (await services.involvementRecords.ofPerson(person.id)).filter((x) => x.record.title === 'Hospital visit');
    const page = `${LIST}/${r!.record.id}`;
    const shown = await staff.get(page);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`href="${page}/claim"`);
    expect(shown.body).toContain('Make a claim for them');
    expect(shown.body).not.toMatch(rawKey);
    expect((await staff.submit(page, page, { difference: 'x'.repeat(2001) })).statusCode).toBe(400);
    const res = await staff.submit(page, page, { difference: 'The ward changed its visiting hours.' });
    expect(res.statusCode).toBe(303);
    const exported = await services.involvementRecords.exportFor(person.id);
    expect(exported.find((x) => x.id === r!.record.id)?.difference).toBe('The ward changed its visiting hours.');
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.action, 'involvement.record-changed'));
    expect(audits).toHaveLength(1);
    // Once someone has claimed for it, the page links to the claim instead.
    const claim = await insertClaim(db, person, { recordId: r!.record.id });
    const after = await staff.get(page);
    expect(after.body).toContain(`href="/admin/claims/${claim.id}"`);
    expect(after.body).not.toContain('Make a claim for them');
  });

  it('is for admins and involvement staff only', async () => {
    for (const role of ['staff', 'finance'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get(LIST)).statusCode, role).toBe(403);
      expect((await browser.get(NEW)).statusCode, role).toBe(403);
    }
    const { browser: admin } = await signedInBrowser(app, 'admin');
    expect((await admin.get(LIST)).statusCode).toBe(200);
  });
});
