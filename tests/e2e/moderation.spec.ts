import { accounts } from './env.ts';
import { expect, test, unique } from './helpers.ts';
import { follow, ModerationQueue, signInAs, StoryPage } from './pages.ts';

test('staff approve a comment and reply to it from the queue; readers see both, the reply marked Staff', async ({ page, newPage }) => {
  // A visitor comments.
  const visitor = new StoryPage(await newPage());
  await visitor.open();
  const text = unique('Could the group meet in the evenings as well?');
  await visitor.form.fill({ name: 'Nadia Commenter', organisation: 'Eastside Youth Voice', email: 'nadia@example.org', comment: text });
  await visitor.form.send();
  await visitor.form.expectThanks();

  // The admin signs in and finds it waiting.
  await signInAs(page, accounts.admin);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Staff area' })).toBeVisible();
  await follow(page, page.getByRole('main').getByRole('link', { name: 'Comments' }));
  const queue = new ModerationQueue(page);
  await expect(queue.item(text)).toHaveCount(1);
  await expect(queue.item(text)).toContainText('nadia@example.org');
  await queue.approve(text);
  await expect(queue.item(text)).toHaveCount(0);

  // Published: a reader (signed out, in another browser) sees it with its signature.
  const reader = new StoryPage(await newPage());
  await reader.open();
  const comment = reader.commentWithText(text);
  await expect(comment).toHaveCount(1);
  await expect(reader.signatureOf(comment)).toContainText('Nadia Commenter, Eastside Youth Voice');
  await expect(reader.page.getByText('nadia@example.org')).toHaveCount(0);

  // Staff reply from the queue; the reply is published at once, marked as from staff.
  await queue.open('approved');
  const replyText = unique('Yes: from next month one meeting in three will be at 6pm.');
  await queue.reply(text, replyText);
  await follow(page, page.getByRole('link', { name: 'View your reply on the story' }));
  await expect(page.getByText(replyText)).toBeVisible();

  await reader.open();
  const staffReply = reader.repliesTo(reader.commentWithText(text)).filter({ hasText: replyText });
  await expect(staffReply).toHaveCount(1);
  await expect(reader.signatureOf(staffReply)).toContainText(accounts.admin.name);
  await expect(reader.signatureOf(staffReply).getByText('Staff', { exact: true })).toBeVisible();
});
