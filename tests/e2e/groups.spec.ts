import type { Page } from '@playwright/test';
import ICAL from 'ical.js';
import { londonToUtc } from '#src/features/groups/meetings-time.ts';
import { expect, test } from './helpers.ts';
import { Outbox, signedInPage } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { e2eGroup } from './groups.ts';

// Staff make a group from an opportunity's three selected applicants, give it a paper and a
// two-place meeting; the three register (one asking for a BSL interpreter, one waitlisted), a
// place frees up and passes down the list, staff arrange the interpreter and record who came to
// an earlier meeting; a member is reminded the day before; someone in no group finds none of it.
// Made before the server started (one set per project): the opportunity, the four people, and an
// earlier group with yesterday's meeting and tomorrow's.
test('staff run a group and its meeting: registration, waiting list, access needs, attendance; outsiders see nothing', async ({
  page,
  newPage,
}, info) => {
  const g = e2eGroup(info.project.name);
  const outbox = new Outbox(page);

  // A private advisory panel, and everyone selected for the opportunity in it.
  await useStaffSession(page, 'involvement', '/admin/groups');
  await follow(page, page.getByRole('button', { name: 'Make a group' }));
  await page.getByLabel('Advisory panel', { exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill(g.group);
  await page.getByLabel('Purpose', { exact: true }).fill('Patients and carers who read our discharge papers before they go out.');
  await page.getByLabel('Private', { exact: true }).check();
  await follow(page, page.getByRole('button', { name: 'Save the group' }));
  await expect(page.getByText('Group made.')).toBeVisible();
  await page.getByLabel('Opportunity', { exact: true }).selectOption({ label: g.opportunity.title });
  await follow(page, page.getByRole('button', { name: 'Add the selected applicants' }));
  await expect(page.getByText('Added 3 people from the opportunity.')).toBeVisible();
  for (const p of [g.ann, g.ben, g.cal]) await expect(page.getByRole('main')).toContainText(p.name);

  // A paper for members only.
  await follow(page, page.getByRole('link', { name: 'Add a document' }));
  await page.getByLabel('Title', { exact: true }).fill('Draft discharge letter');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: pdf() });
  await follow(page, page.getByRole('button', { name: 'Upload the document' }));
  await expect(page.getByText('Document added.')).toBeVisible();
  const paper = (await page.getByRole('link', { name: 'Draft discharge letter' }).getAttribute('href'))!;
  const groupPage = paper.replace(/\/documents\/\d+$/, '');

  // A meeting with two places, a fortnight from now at 10:00 UK time.
  const title = `Discharge letter review (${info.project.name})`;
  const day = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await follow(page, page.getByRole('link', { name: 'Schedule a meeting' }));
  await page.getByLabel('Title', { exact: true }).fill(title);
  const [year, month, date] = day.split('-');
  const when = page.getByRole('group', { name: 'Date' });
  await when.getByLabel('Day').fill(date!);
  await when.getByLabel('Month').fill(month!);
  await when.getByLabel('Year').fill(year!);
  await page.getByLabel('Start time', { exact: true }).fill('10:00');
  await page.getByLabel('End time', { exact: true }).fill('12:00');
  await page.getByLabel('In person', { exact: true }).check();
  await page.getByLabel('Venue address', { exact: true }).fill('Riverside Centre, 4 Mill Lane');
  await page.getByLabel('Number of places (optional)', { exact: true }).fill('2');
  await page.getByLabel('Members of the group only', { exact: true }).check();
  await follow(page, page.getByRole('button', { name: 'Schedule the meeting' }));
  await expect(page.getByText('The meeting is scheduled.')).toBeVisible();
  const staffMeeting = page.url();
  const meeting = new URL(staffMeeting).pathname.replace('/admin', '');

  // Ann registers and asks for a BSL interpreter; the email carries the invitation, and the
  // meeting's calendar file says what and when.
  const ann = await signedInPage(newPage, outbox, g.ann.email);
  await register(ann, meeting, 'Register for this meeting', 'Register', 'A British Sign Language (BSL) interpreter');
  await expect(ann.getByText('You are registered. We have emailed you the details.')).toBeVisible();
  await expect(ann.getByRole('main')).toContainText('A British Sign Language (BSL) interpreter – not arranged yet');
  await outbox.open(g.ann.email, `You are registered: ${title}`);
  await expect(page.getByRole('link', { name: /^Download the calendar invitation \(REQUEST, / })).toBeVisible();
  const file = await ann.request.get(`${meeting}/calendar.ics`);
  expect(file.headers()['content-type']).toContain('text/calendar');
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await file.text())).getFirstSubcomponent('vevent')!);
  expect(event.summary).toBe(title);
  expect(event.startDate.toJSDate().toISOString()).toBe(londonToUtc(day, '10:00')!.toISOString());
  expect(event.location).toBe('Riverside Centre, 4 Mill Lane');

  // Ben takes the second place; Cal joins the waiting list; Ben gives his place up and it is Cal's.
  const ben = await signedInPage(newPage, outbox, g.ben.email);
  await register(ben, meeting, 'Register for this meeting', 'Register');
  const cal = await signedInPage(newPage, outbox, g.cal.email);
  await visit(cal, meeting);
  await expect(
    cal.getByText('This meeting is full. You can join the waiting list, and we will email you if a place frees up.'),
  ).toBeVisible();
  await register(cal, meeting, 'Join the waiting list', 'Join the waiting list');
  await expect(cal.getByText('The meeting is full, so you are on the waiting list. We have emailed you.')).toBeVisible();
  await visit(ben, meeting);
  await follow(ben, ben.getByRole('button', { name: 'Cancel my place' }));
  await expect(ben.getByText('You are no longer on the list for this meeting.')).toBeVisible();
  expect(await outbox.open(g.cal.email, `A place is yours: ${title}`)).toContain('it is yours');
  await visit(cal, meeting);
  await expect(cal.getByText('You are registered for this meeting.')).toBeVisible();

  // Staff see who is coming, arrange the interpreter, and Ann is told.
  await visit(page, staffMeeting);
  const registered = page.getByRole('table', { name: '2 people registered' });
  await expect(registered).toContainText(g.ann.name);
  await expect(registered).toContainText(g.cal.name);
  await expect(page.getByRole('main')).toContainText('Nobody is waiting.');
  await follow(page, page.getByRole('link', { name: 'Access needs to arrange' }));
  const request = page.getByRole('row').filter({ hasText: g.ann.name }).filter({ hasText: 'A British Sign Language (BSL) interpreter' });
  await request.getByLabel('Note for the person (optional)').fill('Sam from Signs Together will meet you at reception.');
  await follow(page, request.getByRole('button', { name: /^Mark as arranged/ }));
  await expect(page.getByText('Marked as arranged. The person has been emailed.')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Nothing to arrange.');
  const told = await outbox.open(g.ann.email, `Arranged for you: ${title}`);
  expect(told).toContain('A British Sign Language (BSL) interpreter');
  expect(told).toContain('Sam from Signs Together will meet you at reception.');
  await visit(ann, meeting);
  await expect(ann.getByRole('main')).toContainText('A British Sign Language (BSL) interpreter – arranged');

  // Yesterday's meeting of the older group: Ann came for an hour and a half, Ben did not, and a
  // guest walked in. Ann's data says so.
  await visit(page, '/admin/groups');
  await follow(page, page.getByRole('link', { name: g.past.group, exact: true }));
  await follow(page, page.getByRole('link', { name: g.past.meeting, exact: true }));
  await follow(page, page.getByRole('link', { name: 'Record attendance' }));
  // Everyone on the list starts ticked.
  await expect(page.getByLabel(g.ann.name, { exact: true })).toBeChecked();
  await page.getByLabel(g.ben.name, { exact: true }).uncheck();
  await page.getByLabel(`Hours for ${g.ann.name}`).fill('1.5');
  await page.getByLabel('Name of person 1 who came without registering').fill('Joan Visitor');
  await page.getByLabel('Role of person 1 who came without registering').selectOption({ label: 'Guest' });
  await follow(page, page.getByRole('button', { name: 'Save attendance' }));
  await expect(page.getByText('Attendance is saved.')).toBeVisible();
  await expect(page.getByLabel(g.ann.name, { exact: true })).toBeChecked();
  await expect(page.getByLabel(g.ben.name, { exact: true })).not.toBeChecked();
  await visit(ann, '/profile/data');
  await expect(ann.getByRole('main')).toContainText('We recorded that you attended 1 meeting.');

  // The group meets again tomorrow: Ann, who has a place, was reminded the day before.
  const reminder = await outbox.open(g.ann.email, `Reminder: ${g.tomorrow} is tomorrow`);
  expect(reminder).toContain(`This is a reminder that you have a place at “${g.tomorrow}”.`);
  expect(reminder).toContain('Riverside Centre');

  // Dee, signed in but in no group, learns nothing: the group, its paper and its meeting are not found.
  const dee = await signedInPage(newPage, outbox, g.dee.email);
  for (const path of [groupPage, paper, meeting, `${meeting}/calendar.ics`]) expect((await dee.request.get(path)).status()).toBe(404);
  expect((await visit(dee, groupPage))?.status()).toBe(404);
  await expect(dee.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  // A member downloads the paper.
  expect((await ann.request.get(paper)).status()).toBe(200);
});

// From the meeting's page through the registration form, ticking any needs.
async function register(page: Page, meeting: string, start: string, submit: string, ...needs: string[]) {
  await visit(page, meeting);
  await follow(page, page.getByRole('button', { name: start }));
  for (const need of needs) await page.getByLabel(need, { exact: true }).check();
  await follow(page, page.getByRole('button', { name: submit, exact: true }));
}

// A small real PDF: the upload checks the type from the bytes.
function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
}
