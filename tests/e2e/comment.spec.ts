import { expect, jsEnabled, test, unique } from './helpers.ts';
import { follow, StoryPage } from './pages.ts';

test('a visitor comments without an account and is told it will appear once approved', async ({ page }, info) => {
  const story = await new StoryPage(page).open();
  const text = unique(`A comment sent with JavaScript ${jsEnabled(info) ? 'on' : 'off'}:`);

  await expect(page.getByRole('heading', { name: 'Add a comment' })).toBeVisible();
  await story.form.fill({
    name: 'Priya Visitor',
    jobTitle: 'Carer',
    organisation: 'Riverside Carers Forum',
    email: 'priya.visitor@example.org',
    comment: text,
  });
  const response = await story.form.send();
  expect(response.status()).toBe(200);
  await story.form.expectThanks();

  // Pre-moderation: nothing is published until staff approve it.
  await follow(page, page.getByRole('link', { name: /^Go back to / }));
  await expect(page).toHaveURL(new RegExp(`${story.path}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Working with people, not for them' })).toBeVisible();
  await expect(page.getByText(text)).toHaveCount(0);
});
