import { accounts } from './env.ts';
import { expect, test } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, signInAs, visit } from './pages.ts';
import { e2eOpportunity } from './opportunity.ts';

test('a visitor joins from the application form, comes back to it, applies, sees the application and withdraws it', async ({
  page,
  newPage,
}, info) => {
  const email = `applicant-${info.project.name}-${Date.now().toString(36)}@example.net`;
  const applyPath = `/opportunities/${e2eOpportunity.slug}/apply`;

  // Signed out, the form offers joining in place.
  expect((await visit(page, applyPath))?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Join us to apply' })).toBeVisible();
  await page.getByLabel('Full name', { exact: true }).fill('Ffion Applicant');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('group', { name: 'Your agreement' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  await expect(page).toHaveURL(/\/join\/check-email$/);

  // The emailed link brings them back to the form, signed in.
  const staff = await newPage();
  await signInAs(staff, accounts.involvement);
  const outbox = new Outbox(staff);
  const invitation = await outbox.open(email, /^Confirm your email address to join /);
  await visit(page, linkIn(invitation, '/sign-in/continue'));
  await follow(page, page.getByRole('button', { name: 'Continue' }));
  await expect(page).toHaveURL(new RegExp(`${applyPath}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Apply' })).toBeVisible();

  // Sending with a required answer missing names it; nothing is sent.
  await page.getByLabel('Why would you like to take part?', { exact: true }).fill('I waited a long time for my own treatment.');
  const refused = await follow(page, page.getByRole('button', { name: 'Send application' }));
  expect(refused.status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select an answer to the question: Which meeting suits you?');

  await page.getByRole('group', { name: 'Which meeting suits you?' }).getByLabel('Evening').check();
  await page.getByRole('group', { name: 'What would help you take part?' }).getByLabel('Regular breaks').check();
  await follow(page, page.getByRole('button', { name: 'Send application' }));
  await expect(page).toHaveURL(/\/profile\/applications\/\d+\?sent=1$/);
  await expect(page.getByText('Your application has been sent.')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Regular breaks');
  expect(await outbox.open(email, `We have your application: ${e2eOpportunity.title}`)).toContain('Dear Ffion Applicant,');

  // Their list shows it; they withdraw it, confirming first.
  await visit(page, '/profile/applications');
  await follow(page, page.getByRole('link', { name: e2eOpportunity.title }));
  await follow(page, page.getByRole('link', { name: 'Withdraw your application' }));
  const unconfirmed = await follow(page, page.getByRole('button', { name: 'Withdraw application' }));
  expect(unconfirmed.status()).toBe(400);
  await page.getByLabel('Yes, withdraw my application').check();
  await follow(page, page.getByRole('button', { name: 'Withdraw application' }));
  await expect(page.getByText('You have withdrawn your application.')).toBeVisible();
});
