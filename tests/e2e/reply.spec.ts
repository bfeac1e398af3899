import { expect, jsEnabled, test, unique } from './helpers.ts';
import { follow, ModerationQueue, useStaffSession, StoryPage } from './pages.ts';

test('a visitor replies to a comment, and once approved the reply sits in that thread', async ({ page, newPage }, info) => {
  const story = await new StoryPage(page).open();
  const tunde = story.commentBy('Tunde Bakare');
  await expect(tunde).toHaveCount(1);
  const tundeId = (await tunde.getAttribute('id'))?.replace('comment-', '');
  const replyLink = story.replyLinkFor(tunde);
  await expect(replyLink).toHaveAccessibleName('Reply to Tunde Bakare');

  if (jsEnabled(info)) {
    // The form moves under the comment, and says who the reply is to; the page stays.
    await replyLink.click();
    await expect(page).toHaveURL(new RegExp(`${story.path}$`));
    await expect(tunde.locator('#add-comment')).toBeVisible();
    await expect(page.locator('#replying-to')).toHaveText('You are replying to Tunde Bakare.');
    await expect(page.locator('#parentId')).toHaveValue(tundeId!);
    await expect(story.form.field('Name')).toBeFocused();
  } else {
    // Without JavaScript the link opens the form on its own page, quoting the comment.
    await follow(page, replyLink);
    await expect(page).toHaveURL(new RegExp(`${story.path}/comments/new\\?parent=${tundeId}(#add-comment)?$`));
    await expect(page.getByRole('heading', { level: 1, name: /Reply to Tunde Bakare/ })).toBeVisible();
    await expect(page.locator('blockquote.app-quoted-comment')).toContainText('Tunde Bakare');
  }

  const text = unique('Agreed about paying people promptly');
  await story.form.fill({ name: 'Rob Reply', jobTitle: 'Service user', email: 'rob.reply@example.org', comment: text });
  await story.form.send();
  await story.form.expectThanks();

  // Staff approve it in the moderation queue, where it shows what it replies to.
  const staff = await newPage();
  await useStaffSession(staff, 'admin', '/admin/comments');
  const queue = await new ModerationQueue(staff).open('pending');
  await expect(queue.item(text).getByText('In reply to')).toBeVisible();
  await expect(queue.item(text)).toContainText('Tunde Bakare');
  await queue.approve(text);

  // A reader now sees it directly under Tunde's comment.
  const reader = new StoryPage(await newPage());
  await reader.open();
  const reply = reader.repliesTo(reader.commentBy('Tunde Bakare')).filter({ hasText: text });
  await expect(reply).toHaveCount(1);
  await expect(reader.signatureOf(reply)).toContainText('Rob Reply, Service user');
  await expect(reader.signatureOf(reply).getByText('Staff', { exact: true })).toHaveCount(0);
});
