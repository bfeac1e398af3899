import type { Page } from '@playwright/test';
import { expect, test, unique } from './helpers.ts';
import { tinyImages } from '#tests/helpers/images.ts';
import { follow, useStaffSession, StoryPage, visit } from './pages.ts';

// Staff write a published story through the form and open its edit page; returns its slug.
async function writeStory(page: Page, title: string) {
  await visit(page, '/admin/stories/new');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Summary', { exact: true }).fill('A story written by a journey.');
  await page.getByLabel('Story', { exact: true }).fill('What we heard, and what we changed.');
  await page.getByLabel('Published', { exact: true }).check();
  await follow(page, page.getByRole('button', { name: 'Save', exact: true }));
  await expect(page.getByText(`Story saved: ${title}`)).toBeVisible();
  const slug = (await page.getByRole('link', { name: 'View the story' }).getAttribute('href'))!.replace('/stories/', '');
  await follow(page, page.getByRole('link', { name: `${title} (edit)` }));
  return { slug };
}

test('staff add an image with alt text to a story (a missing description is explained), and readers see it', async ({ page, newPage }) => {
  await useStaffSession(page, 'staff');
  const title = unique('Our new meeting room');
  const { slug } = await writeStory(page, title);

  await follow(page, page.getByRole('link', { name: /^Add or see images/ }));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Images');
  await page.getByLabel('Image file').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: tinyImages.png });
  const refused = await follow(page, page.getByRole('button', { name: 'Add image' }));
  expect(refused.status()).toBe(400);
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toContainText('Describe the image for people who cannot see it');
  await expect(summary.getByRole('link', { name: 'Describe the image for people who cannot see it' })).toHaveAttribute('href', '#altText');

  await page.getByLabel('Image file').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: tinyImages.png });
  await page.getByLabel('Describe the image for people who cannot see it').fill('A bright room with a round table and eight chairs');
  await page.getByLabel('Caption (optional)').fill('The room on the ground floor');
  await follow(page, page.getByRole('button', { name: 'Add image' }));
  await expect(page.getByText('Image added at the end of the story.')).toBeVisible();

  const reader = new StoryPage(await newPage(), slug);
  await reader.open();
  const image = reader.page.getByRole('img', { name: 'A bright room with a round table and eight chairs' });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('src', /^\/media\/[a-f0-9]{32}\.png$/);
  // The browser really loaded it from the site (a broken image has no natural width).
  expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
  await expect(reader.page.getByText('The room on the ground floor')).toBeVisible();
});

test('staff delete a story: the confirmation says what goes, then the public page is gone', async ({ page, newPage }) => {
  await useStaffSession(page, 'staff');
  const title = unique('A story we no longer need');
  const { slug } = await writeStory(page, title);

  // A visitor comments on it first.
  const visitor = new StoryPage(await newPage(), slug);
  await visitor.open();
  await visitor.form.fill({ name: 'Priya Reader', email: 'priya@example.org', comment: unique('Thank you for writing this.') });
  await visitor.form.send();
  await visitor.form.expectThanks();

  await page.reload();
  await follow(page, page.getByRole('link', { name: /^Delete this story/ }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Delete “${title}”?`);
  await expect(page.getByText('its 1 comment, with any replies and reports')).toBeVisible();
  await expect(page.getByText('You cannot undo this.')).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Delete story and comments' }));
  await expect(page.getByText('The story, its comments and its images were deleted.')).toBeVisible();
  await expect(page.getByRole('link', { name: `${title} (edit)` })).toHaveCount(0);

  const gone = await visit(visitor.page, `/stories/${slug}`);
  expect(gone?.status()).toBe(404);
});

test('staff select all of a story’s waiting comments and approve them, then find them in the approved list by story', async ({
  page,
  newPage,
}) => {
  await useStaffSession(page, 'admin');
  const title = unique('Evening clinics');
  const { slug } = await writeStory(page, title);

  const visitor = new StoryPage(await newPage(), slug);
  const texts = [unique('Evenings would help me.'), unique('Please keep Saturdays too.')];
  for (const [i, text] of texts.entries()) {
    await visitor.open();
    await visitor.form.fill({ name: `Reader ${i + 1}`, email: `reader${i + 1}@example.org`, comment: text });
    await visitor.form.send();
    await visitor.form.expectThanks();
  }

  // The waiting comments on this story only: other journeys' comments are left alone.
  await visit(page, '/admin/comments?status=pending');
  await page.getByLabel('Story', { exact: true }).selectOption({ label: title });
  await follow(page, page.getByRole('button', { name: 'Search', exact: true }));
  await expect(page.locator('li.app-queue__item')).toHaveCount(2);
  await follow(page, page.getByRole('link', { name: 'Select all 2 comments on this page' }));
  for (const box of await page.getByRole('checkbox').all()) await expect(box).toBeChecked();
  await follow(page, page.getByRole('button', { name: 'Approve selected' }));
  await expect(page.getByText('2 comments approved')).toBeVisible();
  await expect(page.locator('li.app-queue__item')).toHaveCount(0);

  // The approved list, filtered by the story, shows exactly those two.
  await visit(page, '/admin/comments?status=approved');
  await page.getByLabel('Story', { exact: true }).selectOption({ label: title });
  await follow(page, page.getByRole('button', { name: 'Search', exact: true }));
  await expect(page.locator('li.app-queue__item')).toHaveCount(2);
  for (const text of texts) await expect(page.locator('.app-queue__body', { hasText: text })).toHaveCount(1);
});
