import type { Page } from '@playwright/test';
import { expect } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, visit } from './pages.ts';

// The joining journey as a person goes through it: /join, the emailed link (read from the
// development outbox by `staff`, a signed-in staff page in another browser), Continue. Ends on
// the person's profile, signed in.
export async function joinNetwork(page: Page, staff: Page, person: { name: string; email: string }) {
  expect((await visit(page, '/join'))?.status()).toBe(200);
  await page.getByLabel('Full name', { exact: true }).fill(person.name);
  await page.getByLabel('Email address', { exact: true }).fill(person.email);
  await page.getByRole('group', { name: 'Your agreement' }).getByRole('checkbox').check();
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  await expect(page).toHaveURL(/\/join\/check-email$/);

  const invitation = await new Outbox(staff).open(person.email, /^Confirm your email address to join /);
  expect((await visit(page, linkIn(invitation, '/sign-in/continue')))?.status()).toBe(200);
  await follow(page, page.getByRole('button', { name: 'Continue' }));
  await expect(page).toHaveURL(/\/profile\/welcome$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Start your profile' }));
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
}
