import { expect, jsEnabled, test, unique, waitForMinimumFillTime } from './helpers.ts';
import { follow, ModerationQueue, useStaffSession, StoryPage } from './pages.ts';

test('an empty comment form is sent back with the NHS error summary linking to each field', async ({ page }, info) => {
  const story = await new StoryPage(page).open();
  await waitForMinimumFillTime(page);
  const response = await follow(page, story.form.submitButton);
  expect(response.status()).toBe(400);
  await expect(page).toHaveTitle(/^Error: /);

  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  const expected: [string, string, string][] = [
    ['Enter your name', '#name', 'Name'],
    ['Enter your email address', '#email', 'Email address'],
    ['Enter your comment', '#comment', 'Comment'],
  ];
  for (const [message, href, label] of expected) {
    await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', href);
    // The same message sits by the field, and the link's target is that field.
    await expect(page.locator(`${href}-error`)).toContainText(message);
    await expect(page.getByLabel(label, { exact: true })).toHaveAttribute('id', href.slice(1));
  }
  await expect(summary.getByRole('link')).toHaveCount(expected.length);

  if (jsEnabled(info)) {
    // NHS.UK frontend focuses the summary, and its links move focus to the field.
    await expect(summary).toBeFocused();
    await summary.getByRole('link', { name: 'Enter your email address' }).click();
    await expect(page.getByLabel('Email address', { exact: true })).toBeFocused();
  }
});

const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';

test('markup in a comment is shown as text, never run, even once staff approve it', async ({ page, newPage }) => {
  const visitor = new StoryPage(await newPage());
  await visitor.open();
  const marker = unique('Mallory');
  const name = `${marker} <b onmouseover=alert(3)>`;
  await visitor.form.fill({
    name,
    organisation: '"><svg onload=alert(4)>',
    email: 'mallory@example.org',
    comment: `${marker} says: ${payload}`,
  });
  await visitor.form.send();
  await visitor.form.expectThanks();

  await useStaffSession(page, 'admin', '/admin/comments');
  const queue = new ModerationQueue(page);
  await expect(queue.item(marker)).toContainText(payload);
  await queue.approve(marker);

  const reader = new StoryPage(await newPage());
  await reader.open();
  const comment = reader.commentWithText(marker);
  await expect(comment).toHaveCount(1);
  await expect(comment.locator('.app-comment__body')).toHaveText(`${marker} says: ${payload}`);
  await expect(reader.signatureOf(comment)).toContainText(`${name}, "><svg onload=alert(4)>`);
  // Nothing became an element: no script, image or svg inside the comment.
  await expect(comment.locator('script, img, svg, b')).toHaveCount(0);
  // (The page fixture fails the test if any dialog opened in any of these pages.)
});
