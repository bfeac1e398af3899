import { expect, test, unique } from './helpers.ts';
import { fillOpportunityForm, follow, useStaffSession, visit } from './pages.ts';

// Involvement staff write an opportunity (first with a mistake), publish it, and a visitor finds it
// on the public listing by filtering, reads it, and sees it in the feed.
test('staff write and publish an opportunity that a visitor then finds by filter', async ({ page }) => {
  const title = unique('Review our leaflet on kidney dialysis');
  await useStaffSession(page, 'involvement');
  await visit(page, '/admin/opportunities');
  await follow(page, page.getByRole('button', { name: 'Write a new opportunity' }));

  // A fee below zero and a closing date in the past are refused, and what was typed stays.
  await fillOpportunityForm(page, {
    kind: 'Communications or house style review',
    title,
    summary: 'Tell us whether our new leaflet about dialysis is clear.',
    role: 'Read a four-page leaflet and tell us what is unclear.',
    involved: 'One reading of about an hour, then a 30-minute call.',
    time: 'About 90 minutes',
    fee: '-5',
    places: '4',
    closingYear: 2020,
  });
  expect((await follow(page, page.getByRole('button', { name: 'Save' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('The fee must be more than £0');
  await expect(page.getByRole('alert')).toContainText('The closing date must be in the future');
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);

  await page.getByLabel('Fee', { exact: true }).fill('40');
  await page
    .getByRole('group', { name: 'Closing date' })
    .getByLabel('Year')
    .fill(String(new Date().getFullYear() + 1));
  await follow(page, page.getByRole('button', { name: 'Save' }));
  await expect(page.getByText('Opportunity saved as a draft')).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Publish' }));
  await expect(page.getByText('Opportunity published')).toBeVisible();

  // A visitor (signed out, in a fresh context) narrows the list and opens it.
  await page.context().clearCookies();
  await visit(page, '/opportunities');
  await page.getByLabel('Kind of work').selectOption({ label: 'Communications or house style review' });
  await follow(page, page.getByRole('button', { name: 'Show opportunities' }));
  await follow(page, page.getByRole('link', { name: title }));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('About 90 minutes');
  await expect(page.getByRole('main')).toContainText('£40');
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', title);
  const feed = await page.request.get('/opportunities/feed.xml');
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain(title);
});
