import { expect, test } from './helpers.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// Someone signs up on a paper form at an event: staff add them by hand with where and when they
// agreed, and later, when they ask to be forgotten, delete them after a confirmation page.
test('staff add a subscriber by hand with the consent they gave, then delete them, erasing the address', async ({ page }, info) => {
  const email = `paper-form-${info.project.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
  await useStaffSession(page, 'staff');
  await visit(page, '/admin/newsletters/subscribers');
  await follow(page, page.getByRole('button', { name: 'Add a subscriber' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Add a subscriber' })).toBeVisible();

  // Without the consent it is refused, and what was typed stays.
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Name (optional)').fill('Sam Paper');
  expect((await follow(page, page.getByRole('button', { name: 'Add subscriber' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Select at least one topic they asked to hear about');
  await expect(page.getByRole('alert')).toContainText('Enter how they gave their consent');
  await expect(page.getByLabel('Email address')).toHaveValue(email);

  await page.getByRole('group', { name: 'What did they ask to hear about?' }).getByRole('checkbox').first().check();
  await page.getByLabel('How did they give their consent?').fill('Paper form at the carers’ group');
  await follow(page, page.getByRole('button', { name: 'Add subscriber' }));
  await expect(page.getByRole('heading', { level: 1, name: email })).toBeVisible();
  await expect(page.getByText('Subscriber added')).toBeVisible();
  await expect(page.getByRole('table', { name: /consent/i })).toContainText('Paper form at the carers’ group');

  // They ask to be forgotten.
  await follow(page, page.getByRole('link', { name: /^Delete this subscriber/ }));
  await expect(page.getByRole('heading', { level: 1, name: 'Are you sure you want to delete this subscriber?' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Delete subscriber' }));
  await expect(page.getByText('Subscriber deleted. Their address has been erased.')).toBeVisible();
  await expect(page.getByText(/been deleted by staff/)).toBeVisible();
  await page.getByLabel('Email address or name').fill(email);
  await follow(page, page.getByRole('button', { name: 'Search', exact: true }));
  await expect(page.getByRole('main')).not.toContainText(email);
});
