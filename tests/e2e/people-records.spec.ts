import { accounts } from './env.ts';
import { expect, test, unique } from './helpers.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// Involvement staff keep a person's record: they can email the person, record that they phoned
// them (seen on the record as a history), and change an answer the person gave them by phone.
test('involvement staff record contact with a person, see it on the record, and change an answer on their behalf', async ({ page }) => {
  const note = unique('Phoned about the spring co-design group');
  await useStaffSession(page, 'involvement');
  await visit(page, '/admin/people?q=Tom+Pritchard');
  await follow(page, page.getByRole('table', { name: 'People' }).getByRole('link', { name: 'Tom Pritchard' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Tom Pritchard' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Email them/ })).toHaveAttribute('href', /^mailto:[^@\s]+@[^@\s]+$/);

  // A missing answer is refused with the error summary; the date is filled in with today.
  await follow(page, page.getByRole('link', { name: 'Record that you contacted them' }).first());
  await expect(page.getByRole('heading', { level: 1, name: 'Record that you contacted them' })).toBeVisible();
  await expect(page.getByLabel('Year')).not.toHaveValue('');
  expect((await follow(page, page.getByRole('button', { name: 'Save' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Select how you contacted them');

  await page.getByRole('group', { name: 'How did you contact them?' }).getByLabel('Phone').check();
  await page.getByLabel('Note (optional)').fill(note);
  await follow(page, page.getByRole('button', { name: 'Save' }));
  await expect(page.getByText('Contact recorded')).toBeVisible();
  const history = page.getByRole('table', { name: 'When staff contacted them' });
  await expect(history.getByRole('row').filter({ hasText: note })).toContainText('Phone');
  await expect(history.getByRole('row').filter({ hasText: note })).toContainText(accounts.involvement.name);

  // They gave a new phone number on the call: staff change it for them.
  await follow(page, page.getByRole('link', { name: 'Change: Your details' }));
  await expect(page.getByText('Changing answers for Tom Pritchard')).toBeVisible();
  await page.getByLabel(/phone/i).fill('01632 960 123');
  await follow(page, page.getByRole('button', { name: 'Save their answers' }));
  await expect(page.getByText('Their answers have been saved')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('01632 960 123');
});
