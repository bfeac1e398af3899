import { demo, e2eBaseUrl } from './env.ts';
import { expect, test } from './helpers.ts';
import { follow, StoryPage, visit } from './pages.ts';

const storyTitle = 'Working with people, not for them';

test('a visitor finds the demo story from the home page and reads it with its comments', async ({ page }) => {
  await visit(page, '/');
  await expect(page.getByRole('heading', { level: 1, name: demo.orgName })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Latest stories' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: storyTitle })).toBeVisible();

  await follow(page, page.getByRole('main').getByRole('link', { name: 'All stories' }));
  await expect(page).toHaveURL(/\/stories$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Stories' })).toBeVisible();

  await follow(page, page.getByRole('main').getByRole('link', { name: storyTitle }));
  await expect(page).toHaveURL(new RegExp(`/stories/${demo.storySlug}$`));
  await expect(page.getByRole('heading', { level: 1, name: storyTitle })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${storyTitle} – ${demo.orgName}$`));

  // Found by search engines and shared links as one page with a title and summary.
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${e2eBaseUrl}/stories/${demo.storySlug}`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', storyTitle);

  const story = new StoryPage(page);
  await expect(page.getByRole('heading', { name: /^Comments \(\d+\)$/ })).toBeVisible();

  // Comments are signed with a name, and a job title and organisation when given.
  const margaret = story.commentBy('Margaret Ellison').first();
  await expect(story.signatureOf(margaret)).toContainText("Margaret Ellison, Volunteer co-chair, Northfield Citizens' Health Panel");
  await expect(story.signatureOf(margaret).getByText('Staff', { exact: true })).toHaveCount(0);

  // Threads: Tunde replies to Margaret; the story's author (staff) replies to Tunde.
  const tunde = story.repliesTo(margaret).filter({ has: page.locator('> article .app-comment__author', { hasText: 'Tunde Bakare' }) });
  await expect(tunde).toHaveCount(1);
  await expect(story.signatureOf(tunde)).toContainText('Tunde Bakare, Managing director, Voices Together Service User Network');
  const author = story.repliesTo(tunde).filter({ has: page.locator('> article .app-comment__author', { hasText: 'Dr Amara Okafor' }) });
  await expect(author).toHaveCount(1);
  await expect(story.signatureOf(author)).toContainText('Dr Amara Okafor, Director of Public Involvement');
  await expect(story.signatureOf(author).getByText('Staff', { exact: true })).toBeVisible();

  // Email addresses are never shown.
  await expect(page.getByText('margaret.ellison@example.org')).toHaveCount(0);
  expect(await page.content()).not.toContain('@example.net');
});

test('the stories are offered as an RSS feed', async ({ page }) => {
  const res = await page.request.get('/feed.xml');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^application\/rss\+xml/);
  const xml = await res.text();
  expect(xml).toMatch(/^<\?xml[^>]*\?>\s*<rss[^>]*version="2\.0"/);
  expect(xml).toContain(`<title>${demo.orgName}`);
  expect(xml).toContain(`<link>${e2eBaseUrl}/stories/${demo.storySlug}</link>`);
  expect(xml).toContain(`<title>${storyTitle}</title>`);

  // The feed is discoverable from every page.
  await visit(page, '/');
  await expect(page.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute('href', `${e2eBaseUrl}/feed.xml`);
});
