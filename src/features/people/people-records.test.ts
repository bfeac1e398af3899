import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { contributorProfiles, livedExperienceTerms } from '#src/features/profile/tables.ts';
import { contributorContacts } from './tables.ts';

// Involvement staff keep a person's record: when they contacted them and how, and answers
// changed on their behalf, each in the audit log (which answers changed, never their values).
describe('a person’s record kept by involvement staff', async () => {
  const { app, db } = await buildTestApp();
  const { browser, staff } = await signedInBrowser(app, 'involvement');
  const [asthma] = await db.insert(livedExperienceTerms).values({ category: 'condition', label: 'Asthma' }).returning();
  const auditOf = async (subject: string, action: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, subject), eq(auditEvents.action, action)));
  const contact = (fields: Record<string, string>) => ({
    'contactedOn-day': '3',
    'contactedOn-month': '11',
    'contactedOn-year': '2026',
    method: 'phone',
    ...fields,
  });

  it('offers an email link with their address and a way to record contact', async () => {
    const person = await insertContributor(db, 'Mo Khan');
    const page = await browser.get(`/admin/people/${person.id}`);
    expect(page.body).toContain(`href="mailto:${person.email}"`);
    expect(page.body).toContain(`href="/admin/people/${person.id}/contact"`);
    expect(page.body).toContain('No contact recorded yet.');
  });

  it('records a contact with its date, how and a note, shows it as history and audits it', async () => {
    const person = await insertContributor(db, 'Sue Brown');
    const form = await browser.get(`/admin/people/${person.id}/contact`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>Record that you contacted them</h1>');
    // Today is filled in.
    expect(form.body).toMatch(/name="contactedOn-year"[^>]*value="\d{4}"/);
    const res = await browser.submit(
      `/admin/people/${person.id}/contact`,
      `/admin/people/${person.id}/contact`,
      contact({ note: 'Left a voicemail <about> the spring group' }),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/people/${person.id}?saved=contact#contacts`);
    await browser.submit(
      `/admin/people/${person.id}/contact`,
      `/admin/people/${person.id}/contact`,
      contact({ 'contactedOn-day': '20', method: 'letter' }),
    );
    const page = await browser.get(`/admin/people/${person.id}?saved=contact`);
    expect(page.body).toContain('Contact recorded');
    const history = page.body.slice(page.body.indexOf('id="contacts"'));
    // Newest contact first, with who recorded it.
    expect(history.indexOf('20 November 2026')).toBeLessThan(history.indexOf('3 November 2026'));
    expect(history).toContain('Left a voicemail &lt;about&gt; the spring group');
    expect(history).toContain('Letter');
    expect(history).toContain('Test involvement');
    const entries = await auditOf(person.id, 'contributor.contact-recorded');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.actorUserId).toBe(staff.id);
    expect(JSON.stringify(entries.map((e) => e.details))).not.toContain('voicemail');
  });

  it('refuses a form with no way, a date that is not real or in the future, or a long note, one message per field, changing nothing', async () => {
    const person = await insertContributor(db, 'Al Green');
    const path = `/admin/people/${person.id}/contact`;
    const cases: [Record<string, string>, string][] = [
      [{ method: '' }, 'Select how you contacted them'],
      [{ method: 'carrier-pigeon' }, 'Select how you contacted them'],
      [{ 'contactedOn-day': '', 'contactedOn-month': '', 'contactedOn-year': '' }, 'Enter the date you contacted them'],
      [{ 'contactedOn-month': '' }, 'must include a day, month and year'],
      [{ 'contactedOn-day': '31', 'contactedOn-month': '2' }, 'must be a real date'],
      [{ 'contactedOn-year': '2999' }, 'must be today or in the past'],
      [{ note: 'x'.repeat(501) }, 'Note must be 500 characters or fewer'],
    ];
    for (const [fields, message] of cases) {
      const res = await browser.submit(path, path, contact(fields));
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
    }
    expect(await db.select().from(contributorContacts).where(eq(contributorContacts.subjectUserId, person.id))).toHaveLength(0);
  });

  it('lets staff change a person’s answers on their behalf, recording which answers changed but not their values', async () => {
    const person = await insertContributor(db, 'Jo Bloggs', { phone: '01632 960 000' });
    const edit = await browser.get(`/admin/people/${person.id}/edit/details`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Changing answers for Jo Bloggs');
    expect(edit.body).toContain('value="01632 960 000"');
    expect(edit.body).toContain(`action="/admin/people/${person.id}/edit/details"`);
    // Opening their answers is a look at their record, and is audited as one.
    expect(await auditOf(person.id, 'contributor.viewed-by-staff')).toHaveLength(1);
    const saved = await browser.submit(`/admin/people/${person.id}/edit/details`, `/admin/people/${person.id}/edit/details`, {
      name: 'Joanne Bloggs',
      preferredName: 'Jo',
      phone: '01632 960 000',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/admin/people/${person.id}?saved=details`);
    const page = await browser.get(saved.headers.location as string);
    expect(page.body).toContain('Their answers have been saved');
    expect(page.body).toContain('<h1>Joanne Bloggs</h1>');

    // Health information: the audit says the answers changed, not what they are.
    const le = `/admin/people/${person.id}/edit/lived-experience`;
    expect((await browser.submit(le, le, { terms: String(asthma!.id), notes: 'Brittle asthma since 2010' })).statusCode).toBe(303);
    const access = `/admin/people/${person.id}/edit/access-needs`;
    expect((await browser.submit(access, access, { accessNeeds: 'breaks', accessNeedsNotes: 'Needs a hearing loop' })).statusCode).toBe(
      303,
    );
    const entries = await auditOf(person.id, 'contributor.edited-by-staff');
    expect(entries.map((e) => e.details)).toEqual([
      { step: 'details', changed: 'name preferredName' },
      { step: 'lived-experience', changed: 'livedExperienceNotes livedExperienceTerms' },
      { step: 'access-needs', changed: 'accessNeeds accessNeedsNotes' },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/asthma|hearing|Joanne|breaks/i);
    const [profile] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, person.id));
    expect(profile!.accessNeedsNotes).toBe('Needs a hearing loop');

    // Saving again with nothing changed records nothing more.
    await browser.submit(access, access, { accessNeeds: 'breaks', accessNeedsNotes: 'Needs a hearing loop' });
    expect(await auditOf(person.id, 'contributor.edited-by-staff')).toHaveLength(3);
  });

  it('shows the step’s errors as the person would see them, and saves nothing', async () => {
    const person = await insertContributor(db, 'Kim Lee');
    const path = `/admin/people/${person.id}/edit/details`;
    const res = await browser.submit(path, path, { name: '', phone: 'not a phone' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Changing answers for Kim Lee');
    expect(await auditOf(person.id, 'contributor.edited-by-staff')).toHaveLength(0);
  });

  it('never offers equality monitoring, unknown steps, staff accounts or other staff a way in', async () => {
    const person = await insertContributor(db, 'Pat Doe');
    expect((await browser.get(`/admin/people/${person.id}/edit/diversity`)).statusCode).toBe(404);
    expect((await browser.get(`/admin/people/${person.id}/edit/nonsense`)).statusCode).toBe(404);
    expect((await browser.get(`/admin/people/${staff.id}/edit/details`)).statusCode).toBe(404);
    expect((await browser.get(`/admin/people/${staff.id}/contact`)).statusCode).toBe(404);
    const { browser: other } = await signedInBrowser(app, 'staff');
    expect((await other.get(`/admin/people/${person.id}/contact`)).statusCode).toBe(403);
    const form = await browser.get(`/admin/people/${person.id}/contact`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    expect((await other.post(`/admin/people/${person.id}/contact`, { ...contact({}), _csrf: csrf })).statusCode).toBe(403);
    expect((await new Browser(app).get(`/admin/people/${person.id}/edit/details`)).headers.location).toMatch(/^\/sign-in/);
    expect(await db.select().from(contributorContacts).where(eq(contributorContacts.subjectUserId, person.id))).toHaveLength(0);
  });

  it('puts contacts in the person’s download, and deleting the account deletes them', async () => {
    const person = await insertContributor(db, 'Lou Reed');
    await browser.submit(
      `/admin/people/${person.id}/contact`,
      `/admin/people/${person.id}/contact`,
      contact({ note: 'Called about the survey' }),
    );
    const exported = await app.featureContext.extensions.personalData.find((p) => p.feature === 'people')!.export!(
      app.featureContext,
      person.id,
    );
    expect(exported).toMatchObject({ contactsFromStaff: [{ on: '2026-11-03', how: 'phone', note: 'Called about the survey' }] });
    await app.services.dataRights.deleteAccount({ ...person, role: 'contributor', jobTitle: null }, 'en');
    expect(await db.select().from(contributorContacts).where(eq(contributorContacts.subjectUserId, person.id))).toHaveLength(0);
  });
});
