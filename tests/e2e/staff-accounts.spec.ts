import { accounts, demo } from './env.ts';
import { expect, test } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, SignInPage, useStaffSession, visit } from './pages.ts';

const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

// An admin invites a colleague from the staff home; the colleague follows the emailed link, chooses a
// password and is in the staff area; the admin changes their role, then deactivates the account and
// the colleague can no longer sign in. The only admin cannot demote themselves.
test('an admin invites a colleague who sets a password; the admin changes their role and deactivates them; the last admin is protected', async ({
  page,
  newPage,
}, info) => {
  const name = `Priya ${letters(1).toUpperCase()}${letters(7)}`;
  const email = `colleague-${info.project.name}-${Date.now().toString(36)}${letters(4)}@example.org`;
  const password = 'lantern river paper meadow';

  // The admin finds staff accounts on the staff home and invites a colleague.
  await useStaffSession(page, 'admin');
  await visit(page, '/admin');
  await follow(page, page.getByRole('link', { name: 'Staff accounts', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Staff accounts' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(accounts.staff.email);
  await follow(page, page.getByRole('button', { name: 'Invite a colleague' }));

  // An address that already has a staff account is refused beside the field.
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email address').fill(accounts.staff.email);
  await page.getByLabel('Job title (optional)').fill('Communications officer');
  await page.getByRole('radio', { name: 'Staff', exact: true }).check();
  expect((await follow(page, page.getByRole('button', { name: 'Send invitation' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('This email address already has a staff account');
  await page.getByLabel('Email address').fill(email);
  await follow(page, page.getByRole('button', { name: 'Send invitation' }));
  await expect(page.getByText(`Invitation sent to ${name}`)).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Invited');
  const accountUrl = new URL(page.url()).pathname;

  // The email, in the development outbox.
  const outbox = new Outbox(page);
  const text = await outbox.open(email, `You have been invited to the ${demo.orgName} staff area`);
  const invitation = linkIn(text, '/staff-invitation/');

  // The colleague chooses a password and is signed in.
  const colleague = await newPage();
  await visit(colleague, invitation);
  await expect(colleague.getByRole('heading', { level: 1 })).toHaveText(`Set up your staff account at ${demo.orgName}`);
  await colleague.getByLabel('Choose a password').fill('short');
  await colleague.getByLabel('Type your password again').fill('short');
  expect((await follow(colleague, colleague.getByRole('button', { name: 'Set password and sign in' }))).status()).toBe(400);
  await expect(colleague.getByRole('alert')).toBeVisible();
  await colleague.getByLabel('Choose a password').fill(password);
  await colleague.getByLabel('Type your password again').fill(password);
  await follow(colleague, colleague.getByRole('button', { name: 'Set password and sign in' }));
  await expect(colleague).toHaveURL(/\/admin$/);
  await expect(colleague.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();
  // The link works once.
  expect((await visit(colleague, invitation))?.status()).toBe(410);
  await expect(colleague.getByRole('heading', { level: 1 })).toHaveText('This invitation link no longer works');

  // The admin sees them active, and changes their role after reading what it gives.
  await visit(page, accountUrl);
  await expect(page.getByRole('main')).toContainText('Active');
  await follow(page, page.getByRole('link', { name: `Change role of ${name}` }));
  const involvement = page.getByRole('radio', { name: 'Involvement staff' });
  await expect(page.getByText(/the register of contributors \(people’s profiles/)).toBeVisible();
  await involvement.check();
  await follow(page, page.getByRole('button', { name: 'Change role' }));
  await expect(page.getByText(`${name} is now Involvement staff`)).toBeVisible();

  // Deactivated: signed out at once, and the password no longer works.
  await follow(page, page.getByRole('link', { name: `Deactivate ${name}’s account` }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Deactivate ${name}’s account?`);
  await follow(page, page.getByRole('button', { name: `Deactivate ${name}’s account` }));
  await expect(page.getByText(`${name}’s account has been deactivated`)).toBeVisible();
  await visit(colleague, '/admin');
  await expect(colleague).toHaveURL(/\/sign-in/);
  const signIn = new SignInPage(colleague);
  expect((await signIn.signIn(email, password)).status()).toBe(400);
  await expect(colleague.getByRole('alert')).toContainText('Enter a correct email address and password');

  // The only admin cannot take away their own admin role.
  await visit(page, '/admin/users');
  await follow(page, page.getByRole('link', { name: accounts.admin.name }));
  await follow(page, page.getByRole('link', { name: `Change role of ${accounts.admin.name}` }));
  await page.getByRole('radio', { name: 'Staff', exact: true }).check();
  expect((await follow(page, page.getByRole('button', { name: 'Change role' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('They are the only active admin');
  await visit(page, '/admin/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff accounts' })).toBeVisible();
});
