import { accounts } from './env.ts';
import { expect, test } from './helpers.ts';
import { follow, useStaffSession, visit } from './pages.ts';

test('a visitor who goes to the moderation queue is asked to sign in, then taken there', async ({ page }) => {
  const response = await visit(page, '/admin/comments');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fcomments$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff sign in' })).toBeVisible();
  await expect(page.getByText('Nadia Commenter')).toHaveCount(0);

  await page.getByLabel('Email address', { exact: true }).fill(accounts.staff.email);
  await page.getByLabel('Password', { exact: true }).fill(accounts.staff.password);
  await follow(page, page.getByRole('button', { name: 'Sign in' }));
  await expect(page).toHaveURL(/\/admin\/comments$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Comments' })).toBeVisible();
});

test('a wrong password is refused with the error summary', async ({ page }) => {
  await visit(page, '/sign-in');
  await page.getByLabel('Email address', { exact: true }).fill(accounts.admin.email);
  await page.getByLabel('Password', { exact: true }).fill('not the password at all');
  const response = await follow(page, page.getByRole('button', { name: 'Sign in' }));
  expect(response.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter a correct email address and password' })).toHaveAttribute('href', '#email');
});

test('staff who are not admins cannot open the settings; admins can', async ({ page, newPage }) => {
  await useStaffSession(page, 'staff');
  const refused = await visit(page, '/admin/settings');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'You cannot see this page' })).toBeVisible();
  await expect(page.getByLabel('Organisation name')).toHaveCount(0);

  const admin = await newPage();
  await useStaffSession(admin, 'admin');
  const allowed = await visit(admin, '/admin/settings');
  expect(allowed?.status()).toBe(200);
  await expect(admin.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});
