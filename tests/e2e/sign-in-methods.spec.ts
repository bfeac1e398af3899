import type { Page } from '@playwright/test';
import { e2ePort } from './env.ts';
import { expect, expectNoAxeViolations, jsEnabled, test } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// WebAuthn refuses IP addresses, so the passkey journey uses the same server as localhost
// (the app offers passkeys there when its own address is a loopback IP).
const localhost = `http://localhost:${e2ePort}`;

// Joins as a new contributor at `origin` and follows the emailed link, read by staff from the outbox.
async function joinAndSignIn(page: Page, staff: Page, origin: string, email: string, name: string) {
  await visit(page, `${origin}/join`);
  await page.getByLabel('Full name', { exact: true }).fill(name);
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('group', { name: 'Your agreement' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  await useStaffSession(staff, 'staff');
  const invitation = await new Outbox(staff).open(email, /^Confirm your email address to join /);
  await visit(page, `${origin}${linkIn(invitation, '/sign-in/continue')}`);
  await follow(page, page.getByRole('button', { name: 'Continue' }));
  // Joining ends on the welcome page, which leads to the profile.
  await follow(page, page.getByRole('button', { name: 'Start your profile' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
}

const stampFor = (project: string) => `${project}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test('a contributor adds a password, signs in with it instead of an email link, then removes it', async ({ page, newPage }, info) => {
  const email = `password-${stampFor(info.project.name)}@example.org`;
  const staff = await newPage();
  await joinAndSignIn(page, staff, '', email, 'Parker Password');

  await follow(page, page.getByRole('link', { name: 'Sign-in methods' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-in methods' })).toBeVisible();
  await expect(page.getByText('You do not have a password.')).toBeVisible();
  // Passkeys need JavaScript: without it the controls are not shown at all.
  if (jsEnabled(info)) await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeVisible();
  else await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeHidden();

  await follow(page, page.getByRole('link', { name: 'Add a password' }));
  await page.getByLabel('New password', { exact: true }).fill('password1234');
  await page.getByLabel('Confirm new password', { exact: true }).fill('password1234');
  const refused = await follow(page, page.getByRole('button', { name: 'Add password' }));
  expect(refused.status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('harder to guess');

  const password = 'orchard lantern pebble 9';
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password', { exact: true }).fill(password);
  await follow(page, page.getByRole('button', { name: 'Add password' }));
  await expect(page.getByText('Your password has been added')).toBeVisible();

  // The notice email arrives.
  const notice = await new Outbox(staff).open(email, 'A password was added to your account');
  expect(notice).toContain('If this was not you');

  // In another browser: the email-link page offers the password, which signs them in.
  const other = await newPage();
  await visit(other, '/sign-in/email');
  await follow(other, other.getByRole('link', { name: 'Sign in with a password instead' }));
  await other.getByLabel('Email address', { exact: true }).fill(email);
  await other.getByLabel('Password', { exact: true }).fill('not the password at all');
  const wrong = await follow(other, other.getByRole('button', { name: 'Sign in', exact: true }));
  expect(wrong.status()).toBe(400);
  await expect(other.locator('.nhsuk-error-summary')).toContainText('Enter a correct email address and password');
  await other.getByLabel('Password', { exact: true }).fill(password);
  await follow(other, other.getByRole('button', { name: 'Sign in', exact: true }));
  await expect(other).toHaveURL(/\/profile$/);
  await expect(other.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();

  // Removing it needs a confirmation.
  await visit(page, '/profile/sign-in-methods');
  await follow(page, page.getByRole('link', { name: 'Remove your password' }));
  expect((await follow(page, page.getByRole('button', { name: 'Remove' }))).status()).toBe(400);
  await page.getByRole('group', { name: 'Confirm' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Remove' }));
  await expect(page.getByText('Your password has been removed')).toBeVisible();
  await expect(page.getByText('You do not have a password.')).toBeVisible();
});

test('a contributor adds a passkey and signs in with it (JavaScript); without JavaScript no passkey controls appear', async ({
  page,
  newPage,
}, info) => {
  if (!jsEnabled(info)) {
    await visit(page, '/sign-in/password');
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    return;
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });

  const email = `passkey-${stampFor(info.project.name)}@example.org`;
  const staff = await newPage();
  await joinAndSignIn(page, staff, localhost, email, 'Quinn Passkey');
  await follow(page, page.getByRole('link', { name: 'Sign-in methods' }));
  await expect(page.getByText('You have not added a passkey.')).toBeVisible();
  await page.getByLabel('Name for the new passkey (optional)').fill('Test laptop');
  await Promise.all([
    page.waitForURL(/\/profile\/sign-in-methods\?saved=passkey-added$/),
    page.getByRole('button', { name: 'Add a passkey' }).click(),
  ]);
  await expectNoAxeViolations(page);
  await expect(page.getByText('Your passkey has been added')).toBeVisible();
  await expect(page.locator('.nhsuk-summary-list')).toContainText('Test laptop');
  await new Outbox(staff).open(email, 'A passkey was added to your account');

  // Signed out, the passkey signs them back in.
  await follow(page, page.getByRole('button', { name: /^Sign out/ }));
  await visit(page, `${localhost}/sign-in/password`);
  await Promise.all([page.waitForURL(/\/profile$/), page.getByRole('button', { name: 'Sign in with a passkey' }).click()]);
  await expectNoAxeViolations(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
  await expect(page.getByText('Hello Quinn Passkey.')).toBeVisible();

  // Removing the passkey: confirmed, and then it is gone.
  await visit(page, `${localhost}/profile/sign-in-methods`);
  await follow(page, page.getByRole('link', { name: /^Remove.*Test laptop/ }));
  await page.getByRole('group', { name: 'Confirm' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Remove' }));
  await expect(page.getByText('Your passkey has been removed')).toBeVisible();
  await expect(page.getByText('You have not added a passkey.')).toBeVisible();
});
