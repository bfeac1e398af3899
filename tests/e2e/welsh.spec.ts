import type { Page } from '@playwright/test';
import { catalogueTexts } from '#src/lib/i18n.ts';
import { demo } from './env.ts';
import { expect, test, waitForMinimumFillTime } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// A Welsh speaker's visit, with and without JavaScript, every page checked with axe: they switch to
// Cymraeg on the home page, read a story that has a Welsh version and one that does not, comment
// (errors in Welsh), subscribe to email updates (the confirmation in Welsh), join and fill in a
// profile step. The words are read from the Welsh catalogue, so the journey follows the text.

const welsh = catalogueTexts('cy');
const cy = (key: string, values: Record<string, string> = {}) => {
  const text = welsh.get(key);
  if (text === undefined) throw new Error(`No Welsh for ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
};
const englishOnlyStory = 'the-first-night-home';

// Staff read the development outbox in a browser of their own.
async function staffPage(newPage: (options?: { javaScriptEnabled?: boolean }) => Promise<Page>) {
  const staff = await newPage({ javaScriptEnabled: false });
  await useStaffSession(staff, 'staff');
  return staff;
}

async function expectWelshPage(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('navigation', { name: cy('common.language.label') }).getByRole('link', { name: 'English' })).toBeVisible();
}

const stampOf = (project: string) => `${project}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test('a Welsh speaker switches language, reads stories with and without a Welsh version, and comments in Welsh', async ({ page }, info) => {
  const stamp = stampOf(info.project.name);

  // The home page, switched to Welsh: the same page, now in Cymraeg.
  await visit(page, '/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await follow(page, page.getByRole('link', { name: 'Cymraeg' }));
  await expect(page).toHaveURL(/\/\?lang=cy$/);
  await expectWelshPage(page);
  await expect(page.getByRole('heading', { name: cy('site.home.latest') })).toBeVisible();

  // A story with a Welsh version: shown in Welsh, with no English-only note.
  await visit(page, `/stories/${demo.storySlug}`);
  await expectWelshPage(page);
  await expect(page.getByText(cy('common.englishOnly'))).toHaveCount(0);
  // Switching language keeps the reader on the story.
  await follow(page, page.getByRole('link', { name: 'English' }));
  await expect(page).toHaveURL(new RegExp(`/stories/${demo.storySlug}\\?lang=en$`));
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await follow(page, page.getByRole('link', { name: 'Cymraeg' }));
  await expectWelshPage(page);

  // A story with no Welsh version: the English, marked as English, with a note in Welsh.
  await visit(page, `/stories/${englishOnlyStory}`);
  await expectWelshPage(page);
  await expect(page.getByText(cy('common.englishOnly')).first()).toBeVisible();
  await expect(page.locator('main [lang="en"]').first()).toBeVisible();

  // A comment: an empty form is refused in Welsh, then a written one is thanked in Welsh.
  await visit(page, `/stories/${demo.storySlug}`);
  const form = page.locator('#add-comment');
  await waitForMinimumFillTime(page);
  await follow(page, form.getByRole('button', { name: cy('comments.form.send') }));
  await expectWelshPage(page);
  const summary = page.getByRole('alert').filter({ hasText: cy('common.errorSummaryTitle') });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link', { name: cy('comments.form.body.missing') })).toBeVisible();
  await form.getByLabel(cy('comments.form.name.label'), { exact: true }).fill('Gwenllian Parry');
  await form.getByLabel(cy('comments.form.email.label'), { exact: true }).fill(`gwenllian-${stamp}@example.org`);
  await form.getByLabel(cy('comments.form.comment.label'), { exact: true }).fill(`Diolch am rannu hyn. ${stamp}`);
  await waitForMinimumFillTime(page);
  await follow(page, form.getByRole('button', { name: cy('comments.form.send') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('comments.thanks.title') })).toBeVisible();
  await expectWelshPage(page);
});

test('a Welsh speaker subscribes to email updates and gets the confirmation in Welsh', async ({ page, newPage }, info) => {
  const stamp = stampOf(info.project.name);
  const outbox = new Outbox(await staffPage(newPage));
  await visit(page, '/?lang=cy');
  const subscriber = `tanysgrifiwr-${stamp}@example.org`;
  await visit(page, '/newsletter');
  await expectWelshPage(page);
  await expect(page.getByRole('heading', { level: 1, name: cy('newsletters.signUp.title') })).toBeVisible();
  await page.getByLabel(cy('newsletters.signUp.email.label'), { exact: true }).fill(subscriber);
  const topics = page.getByRole('checkbox');
  if ((await topics.count()) > 0) await topics.first().check();
  await follow(page, page.getByRole('button', { name: cy('newsletters.signUp.submit') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('newsletters.checkEmail.title') })).toBeVisible();
  const confirmation = await outbox.open(subscriber, new RegExp(`^${cy('newsletters.emails.confirm.subject', { org: '' })}`));
  expect(confirmation).toContain(cy('newsletters.emails.confirm.action'));
  await visit(page, linkIn(confirmation, '/newsletter/confirm/'));
  await expectWelshPage(page);
  await follow(page, page.getByRole('button', { name: cy('newsletters.confirm.button') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('newsletters.preferences.title') })).toBeVisible();
});

test('a Welsh speaker joins and fills in a profile step in Welsh', async ({ page, newPage }, info) => {
  const stamp = stampOf(info.project.name);
  const outbox = new Outbox(await staffPage(newPage));
  await visit(page, '/?lang=cy');
  const person = { name: 'Rhys ap Dafydd', email: `rhys-${stamp}@example.org` };
  await visit(page, '/join');
  await expectWelshPage(page);
  await expect(page.getByRole('heading', { level: 1, name: cy('accounts.join.title') })).toBeVisible();
  await follow(page, page.getByRole('button', { name: cy('accounts.sendLink') }));
  await expect(page.getByRole('alert').filter({ hasText: cy('common.errorSummaryTitle') })).toBeVisible();
  await page.getByLabel(cy('accounts.fields.fullName'), { exact: true }).fill(person.name);
  await page.getByLabel(cy('accounts.fields.email'), { exact: true }).fill(person.email);
  await page
    .getByRole('group', { name: cy('accounts.join.consent.legend') })
    .getByRole('checkbox')
    .check();
  await follow(page, page.getByRole('button', { name: cy('accounts.sendLink') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('accounts.checkEmail.title') })).toBeVisible();
  const invitation = await outbox.open(person.email, new RegExp(`^${cy('identity.emails.join.subject', { org: '' })}`));
  await visit(page, linkIn(invitation, '/sign-in/continue'));
  await expectWelshPage(page);
  await follow(page, page.getByRole('button', { name: cy('common.continue') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('profile.welcome.title') })).toBeVisible();
  await expectWelshPage(page);
  await follow(page, page.getByRole('button', { name: cy('profile.welcome.start') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('profile.title') })).toBeVisible();
  await expectWelshPage(page);
  await follow(page, page.getByRole('link', { name: cy('profile.steps.details.title') }));
  await expectWelshPage(page);
  await page.getByLabel(cy('profile.details.phone.label'), { exact: true }).fill('not a phone number');
  await follow(page, page.getByRole('button', { name: cy('profile.saveAndReturn') }));
  await expect(page.getByRole('alert').filter({ hasText: cy('common.errorSummaryTitle') })).toBeVisible();
  await page.getByLabel(cy('profile.details.phone.label'), { exact: true }).fill('07700 900 982');
  await follow(page, page.getByRole('button', { name: cy('profile.saveAndReturn') }));
  await expect(page.getByRole('heading', { level: 1, name: cy('profile.title') })).toBeVisible();
  await expect(page.getByText(cy('profile.saved.answers'))).toBeVisible();
});
