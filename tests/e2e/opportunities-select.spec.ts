import type { Page } from '@playwright/test';
import { expect, test } from './helpers.ts';
import { linkIn, Outbox, signInByLink } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { e2eClosesSoon, e2eSelection } from './opportunity.ts';

// Staff select fairly from three people who applied (made before the server started, one set per
// project), tell each of them the outcome by email, and pass a place down the waiting list when
// the selected person withdraws; the applicants see and download only their own applications.
test('staff select from three applicants, tell each the outcome, and offer a withdrawn place to the waiting list', async ({
  page,
  newPage,
}, info) => {
  const s = e2eSelection(info.project.name);
  const outbox = new Outbox(page);

  // From the closed opportunity to its applications.
  await useStaffSession(page, 'involvement', '/admin/opportunities?status=closed');
  await follow(page, page.getByRole('link', { name: s.title, exact: true }));
  await follow(page, page.getByRole('link', { name: /^Applications and selection/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Applications' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('3 applications');
  await expect(page.getByRole('main')).toContainText('3 applicants have not yet been told the outcome.');
  const applications = page.url();

  // Each application: read it, decide, score, and write feedback for the one turned down.
  const decide = async (name: string, decision: string) => {
    await follow(page, page.getByRole('link', { name, exact: true }));
    await expect(page.getByRole('main')).toContainText(`I waited a year for my own care (${name}).`);
    await page.getByRole('group', { name: 'Where is this application now?' }).getByLabel(decision, { exact: true }).check();
    await follow(page, page.getByRole('button', { name: 'Save the decision' }));
    await expect(page.getByText('The decision is saved.')).toBeVisible();
  };
  // Shortlisted first; the fair selection view never shows a group smaller than five.
  await decide(s.selected.name, 'Shortlisted');
  await follow(page, page.getByRole('link', { name: 'Back to the applications' }));
  await follow(page, page.getByRole('link', { name: /^See how fair the selection is/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Fair selection' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Fewer than 5 people have applied');
  await visit(page, applications);
  await decide(s.selected.name, 'Selected');
  await expect(page.getByRole('main')).toContainText('Regular breaks');
  await page.getByRole('group', { name: 'Score' }).getByLabel('4', { exact: true }).check();
  await page.getByLabel('Notes', { exact: true }).fill('Clear about what the panel is for.');
  await follow(page, page.getByRole('button', { name: 'Save my score and notes' }));
  await expect(page.getByText('Your score and notes are saved.')).toBeVisible();
  await follow(page, page.getByRole('link', { name: 'Back to the applications' }));
  await decide(s.waitlisted.name, 'On the waiting list');
  await follow(page, page.getByRole('link', { name: 'Back to the applications' }));
  await decide(s.turnedDown.name, 'Not selected');
  await page.getByLabel('Feedback', { exact: true }).fill('Your answer was thoughtful; we hope you apply for the next panel.');
  await follow(page, page.getByRole('button', { name: 'Save the feedback' }));
  await expect(page.getByText('The feedback is saved.')).toBeVisible();

  // Everyone with a decision is told, once.
  await visit(page, applications);
  await follow(page, page.getByRole('button', { name: 'Send the outcomes' }));
  await expect(page.getByText('The outcome was sent to 3 applicants.')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Every applicant has been told the outcome.');
  expect(await outbox.open(s.selected.email, `You have a place: ${s.title}`)).toContain('you have been selected');
  expect(await outbox.open(s.waitlisted.email, `You are on our waiting list: ${s.title}`)).toContain('waiting list');
  expect(await outbox.open(s.turnedDown.email, `Your application: ${s.title}`)).toContain('we hope you apply for the next panel');

  // The selected person signs in by emailed link, sees only their own application, downloads it,
  // and withdraws.
  const amal = await newPage();
  await signInByLink(amal, outbox, s.selected.email);
  await visit(amal, '/profile/applications');
  await expect(amal.getByRole('main')).toContainText('Selected');
  const theirs = await amal.getByRole('link', { name: s.title }).getAttribute('href');
  const others = await amalCannotOpenOthers(amal, theirs!);
  expect(others).toBe(404);
  await visit(amal, '/profile/data');
  await expect(amal.getByRole('main')).toContainText(s.title);
  await visit(amal, theirs!);
  await follow(amal, amal.getByRole('link', { name: 'Withdraw your application' }));
  await amal.getByLabel('Yes, withdraw my application').check();
  await follow(amal, amal.getByRole('button', { name: 'Withdraw application' }));
  await expect(amal.getByText('You have withdrawn your application.')).toBeVisible();

  // Staff offer the place to the next person waiting, who accepts by the emailed link, signed out.
  await visit(page, applications);
  await follow(page, page.getByRole('button', { name: 'Offer a place to the next person' }));
  await expect(page.getByText(`${s.waitlisted.name} has been offered a place by email.`)).toBeVisible();
  const offer = await outbox.open(s.waitlisted.email, `A place has come free: ${s.title}`);
  const brynPage = await newPage();
  await visit(brynPage, linkIn(offer, '/opportunity-offers/'));
  await follow(brynPage, brynPage.getByRole('button', { name: 'Accept the place' }));
  await expect(brynPage.getByRole('heading', { level: 1 })).toHaveText(`You have accepted your place on “${s.title}”`);
  await visit(page, `${applications}?selection=selected`);
  await expect(page.getByRole('table')).toContainText(s.waitlisted.name);
});

test('the closing job closes an opportunity at its closing time', async ({ page }) => {
  // It was made to close 40 seconds after the server started; the job looks every minute.
  await expect(async () => {
    await visit(page, `/opportunities/${e2eClosesSoon.slug}`);
    await expect(page.getByText('This opportunity is no longer taking applications.')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 120_000, intervals: [5_000] });
});

// Another applicant's application, by changing the number in the address: not found.
async function amalCannotOpenOthers(page: Page, own: string): Promise<number | undefined> {
  const id = Number(own.split('/').pop());
  return (await visit(page, own.replace(/\d+$/, String(id + 1))))?.status();
}
