import { expect, test, unique } from './helpers.ts';
import { fillOpportunityForm, follow, useStaffSession, visit } from './pages.ts';
import { e2eOpportunity } from './opportunity.ts';

// Involvement staff write the questions for a new opportunity (adding, then reordering with the
// Move up button, no JavaScript needed), then look at another opportunity's participants and its
// export form.
test('staff write and reorder the questions for applicants, and find participants and the export', async ({ page }) => {
  const title = unique('Join our hearing loss advisory group');
  await useStaffSession(page, 'involvement');
  await visit(page, '/admin/opportunities');
  await follow(page, page.getByRole('button', { name: 'Write a new opportunity' }));
  await fillOpportunityForm(page, {
    kind: 'Lived experience group',
    title,
    summary: 'Help us plan services for people with hearing loss.',
    role: 'Meet four times a year and tell us what matters.',
    involved: 'Four online meetings of two hours over a year.',
    time: '8 hours a year',
    closingYear: new Date().getFullYear() + 1,
  });
  const form = page.getByRole('main');
  await follow(page, page.getByRole('button', { name: 'Save' }));
  await expect(page.getByText('Opportunity saved as a draft')).toBeVisible();

  await follow(page, page.getByRole('link', { name: 'Change the questions for applicants' }));
  await follow(page, page.getByRole('link', { name: 'Add a question' }));
  // Options missing for a choice: refused, and what was typed stays.
  await form.getByRole('radio', { name: 'Choose one option' }).check();
  await page.getByLabel('Question', { exact: true }).fill('Which time of day suits you?');
  await page.getByRole('group', { name: 'Must people answer this question?' }).getByRole('radio', { name: 'Yes' }).check();
  expect((await follow(page, page.getByRole('button', { name: 'Save question' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Enter at least 2 options, one a line');
  await page.getByLabel('Options', { exact: true }).fill('Morning\nEvening');
  await page.getByLabel('Question in Welsh', { exact: true }).fill('Pa adeg o’r dydd sy’n gyfleus i chi?');
  await page.getByLabel('Options in Welsh', { exact: true }).fill('Bore\nNos');
  await follow(page, page.getByRole('button', { name: 'Save question' }));
  await expect(page.getByText('Question added')).toBeVisible();

  await follow(page, page.getByRole('link', { name: 'Add a question' }));
  await form.getByRole('radio', { name: 'Long answer (a paragraph or more)' }).check();
  await page.getByLabel('Question', { exact: true }).fill('Why would you like to join?');
  await page.getByRole('group', { name: 'Must people answer this question?' }).getByRole('radio', { name: 'No, it is optional' }).check();
  await follow(page, page.getByRole('button', { name: 'Save question' }));
  await follow(page, page.getByRole('button', { name: /^Move up\s*:\s*Why would you like to join\?$/ }));
  await expect(page.getByText('Order changed')).toBeVisible();
  const headings = page.getByRole('main').getByRole('heading', { level: 3 });
  await expect(headings).toHaveText(['1. Why would you like to join?', '2. Which time of day suits you?']);

  await visit(page, '/admin/opportunities?status=open');
  await follow(page, page.getByRole('link', { name: e2eOpportunity.title, exact: true }));
  await follow(page, page.getByRole('link', { name: 'Participants' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Participants' })).toBeVisible();
  await follow(page, page.getByRole('link', { name: 'Back to the applications' }));
  await follow(page, page.getByRole('link', { name: 'Export applications (CSV)' }));
  await expect(page.getByRole('checkbox', { name: 'Answer: Why would you like to take part?' })).toBeVisible();
});
