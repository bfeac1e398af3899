import { expect, test } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';

test('a visitor joins, signs in from the emailed link, completes a profile step, sees their data and deletes the account', async ({
  page,
  newPage,
}, info) => {
  const stamp = `${info.project.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `contributor-${stamp}@example.org`;
  const name = 'Morgan Contributor';

  // The visitor joins.
  const join = await visit(page, '/join');
  expect(join?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Join our contributor network' })).toBeVisible();
  await page.getByLabel('Full name', { exact: true }).fill(name);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('group', { name: 'Your agreement' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  await expect(page).toHaveURL(/\/join\/check-email$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  // Staff, in a browser of their own (signing in here would replace the visitor's session),
  // read the link from the development outbox.
  const staff = await newPage();
  await useStaffSession(staff, 'staff');
  const outbox = new Outbox(staff);
  const invitation = await outbox.open(email, /^Confirm your email address to join /);
  const continuePath = linkIn(invitation, '/sign-in/continue');

  // The visitor opens the link; nothing happens until they press Continue.
  expect((await visit(page, continuePath))?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Continue to sign in' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Continue' }));
  // A welcome that says what happens next, then the profile.
  await expect(page).toHaveURL(/\/profile\/welcome$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'What happens next' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Start your profile' }));
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
  await expect(page.getByText(`Hello ${name}.`)).toBeVisible();
  const details = page.locator('.nhsuk-task-list__item').filter({ hasText: 'Your details' });
  await expect(details).toContainText('Not started');

  // One step: their details.
  await follow(page, details.getByRole('link', { name: 'Your details' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Your details' })).toBeVisible();
  await expect(page.getByLabel('Full name', { exact: true })).toHaveValue(name);
  await page.getByLabel('Preferred name (optional)', { exact: true }).fill('Mo');
  await page.getByLabel('Phone number (optional)', { exact: true }).fill('07700 900 982');
  await follow(page, page.getByRole('button', { name: 'Save and return to your profile' }));
  await expect(page).toHaveURL(/\/profile\?saved=details$/);
  await expect(page.getByText('Your answers have been saved')).toBeVisible();
  await expect(page.getByText('Hello Mo.')).toBeVisible();
  await expect(details).toContainText('Completed');
  await expect(details).not.toContainText('Not started');

  // Their data, as we hold it.
  await follow(page, page.getByRole('link', { name: 'See or download your data' }));
  await expect(page).toHaveURL(/\/profile\/data$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(email);
  await expect(page.getByRole('main')).toContainText('07700 900 982');

  // Deleting the account: refused until confirmed, then done, and they are signed out.
  await visit(page, '/profile/delete');
  await expect(page.getByRole('heading', { level: 1, name: 'Delete your account' })).toBeVisible();
  const refused = await follow(page, page.getByRole('button', { name: 'Delete my account' }));
  expect(refused.status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Confirm that you want to delete your account');
  await page.getByRole('group', { name: 'Confirm' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Delete my account' }));
  await expect(page).toHaveURL(/\/account-deleted$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your account has been deleted' })).toBeVisible();

  await visit(page, '/profile');
  await expect(page).toHaveURL(/\/sign-in\/email$/);

  // The promised confirmation email arrives; the outbox keeps it without the address, and
  // forgets every earlier email to that address.
  const goodbye = await outbox.open('(address erased: account deleted)', /account has been deleted$/);
  expect(goodbye.length).toBeGreaterThan(0);
  expect(goodbye).not.toContain(email);
  await visit(staff, '/dev/outbox');
  await expect(staff.getByRole('main')).not.toContainText(email);
});
