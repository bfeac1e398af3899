import type { Page } from '@playwright/test';
import { changingAccount } from './env.ts';
import { expect, test } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, SignInPage, signInAs, useStaffSession, visit } from './pages.ts';
import { totp } from '#tests/helpers/totp.ts';

const signOut = (page: Page) => follow(page, page.getByRole('button', { name: /^Sign out/ }));

// The second step of a staff sign-in, with a code from the app or a recovery code.
async function enterCode(page: Page, code: string) {
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your sign-in code' })).toBeVisible();
  await page.getByLabel('Code from your authenticator app', { exact: true }).fill(code);
  return follow(page, page.getByRole('button', { name: 'Continue' }));
}

test('a member of staff turns on two-factor sign-in, signs in with a code, and once with a recovery code', async ({ page }, info) => {
  const me = changingAccount('two-factor', info.project.name);
  await signInAs(page, me);
  await follow(page, page.getByRole('link', { name: 'Your account' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expect(page.getByText('shown to the public beside your replies')).toBeVisible();
  await follow(page, page.getByRole('link', { name: 'Manage Two-factor sign-in' }));

  await page.getByLabel('Your password', { exact: true }).fill(me.password);
  await follow(page, page.getByRole('button', { name: 'Set up two-factor sign-in' }));
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  // What a person would type into their app from the page: the key shown as text.
  const secret = (await page.locator('.app-secret code').textContent())!.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel('6-digit code', { exact: true }).fill('12345');
  expect((await follow(page, page.getByRole('button', { name: 'Turn on two-factor sign-in' }))).status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter the code as 6 digits');
  await page.getByLabel('6-digit code', { exact: true }).fill(totp(secret));
  await follow(page, page.getByRole('button', { name: 'Turn on two-factor sign-in' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Your recovery codes' })).toBeVisible();
  await expect(page.getByText('Save these codes now')).toBeVisible();
  const codes = await page.locator('.app-recovery-codes code').allTextContents();
  expect(codes).toHaveLength(10);
  await follow(page, page.getByRole('button', { name: 'I have saved my recovery codes' }));
  await expect(page.locator('.nhsuk-summary-list')).toContainText(/Two-factor sign-in\s*On/);

  // Signed out, the password alone is not enough: the code from the app is asked for.
  await signOut(page);
  await new SignInPage(page).open();
  await new SignInPage(page).signIn(me.email, me.password);
  const wrong = await enterCode(page, totp(secret) === '000000' ? '111111' : '000000');
  expect(wrong.status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('That code is not right');
  await enterCode(page, totp(secret));
  await expect(page.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();

  // A recovery code works in place of the app's code, once.
  await signOut(page);
  await new SignInPage(page).open();
  await new SignInPage(page).signIn(me.email, me.password);
  await enterCode(page, codes[0]!);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();
  await signOut(page);
  await new SignInPage(page).open();
  await new SignInPage(page).signIn(me.email, me.password);
  expect((await enterCode(page, codes[0]!)).status()).toBe(400);
  await enterCode(page, codes[1]!);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();
});

// Asks for a reset link from a sign-in page, opens it from the outbox (read by other staff), and
// chooses a new password. Returns the page the person lands on.
async function resetPassword(page: Page, staff: Page, signInPath: string, email: string, password: string) {
  await visit(page, signInPath);
  await follow(page, page.getByRole('link', { name: 'Forgotten your password?' }));
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await follow(page, page.getByRole('button', { name: 'Send the link' }));
  await expect(page.getByText('If there is an account with a password for that email address')).toBeVisible();
  const text = await new Outbox(staff).open(email, /^Choose a new password for /);
  const link = linkIn(text, '/reset-password');
  await visit(page, link);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password', { exact: true }).fill(password);
  await follow(page, page.getByRole('button', { name: 'Change password' }));
  await expect(page.getByText('Your password has been changed')).toBeVisible();
  // The link works once.
  const again = await visit(page, link);
  expect(again?.status()).toBe(400);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link has expired or has already been used');
}

test('a member of staff forgets their password, resets it from the emailed link, and signs in with the new one', async ({
  page,
  newPage,
}, info) => {
  const me = changingAccount('reset', info.project.name);
  const staff = await newPage();
  await useStaffSession(staff, 'staff');
  const password = `meadow copper signal ${info.project.name}`;
  await resetPassword(page, staff, '/sign-in', me.email, password);
  await new SignInPage(page).open();
  expect((await new SignInPage(page).signIn(me.email, me.password)).status()).toBe(400);
  await new SignInPage(page).signIn(me.email, password);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();
});

test('a contributor with a password resets it from the contributor sign-in page', async ({ page, newPage }, info) => {
  const email = `reset-${info.project.name}-${Date.now().toString(36)}@example.org`;
  const staff = await newPage();
  await useStaffSession(staff, 'staff');
  await visit(page, '/join');
  await page.getByLabel('Full name', { exact: true }).fill('Rowan Reset');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('group', { name: 'Your agreement' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  await visit(page, linkIn(await new Outbox(staff).open(email, /^Confirm your email address to join /), '/sign-in/continue'));
  await follow(page, page.getByRole('button', { name: 'Continue' }));
  await visit(page, '/profile/sign-in-methods/password/add');
  await page.getByLabel('New password', { exact: true }).fill('orchard lantern pebble 9');
  await page.getByLabel('Confirm new password', { exact: true }).fill('orchard lantern pebble 9');
  await follow(page, page.getByRole('button', { name: 'Add password' }));
  await signOut(page);

  const password = 'harbour violet kettle 12';
  await resetPassword(page, staff, '/sign-in/password', email, password);
  await visit(page, '/sign-in/password');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await follow(page, page.getByRole('button', { name: 'Sign in', exact: true }));
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
});
