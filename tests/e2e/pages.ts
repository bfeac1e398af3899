import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page, Response } from '@playwright/test';
import { expect, expectNoAxeViolations, waitForMinimumFillTime } from './helpers.ts';
import { accounts, demo, sessionsDirVariable } from './env.ts';

// Page objects: what a person sees and does, in their words. Every method that lands on a new
// page checks it with axe before handing it back.

export async function visit(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path);
  await expectNoAxeViolations(page);
  return response;
}

// Clicks something that loads a new page (a link or a form's button), waits for the document,
// checks it, and returns the response that produced it (after any redirect, e.g. 303 after POST).
export async function follow(page: Page, target: Locator): Promise<Response> {
  const [response] = await Promise.all([page.waitForNavigation(), target.click()]);
  if (!response) throw new Error(`Expected a new page after clicking ${target.toString()}, but only the URL fragment changed`);
  await expectNoAxeViolations(page);
  return response;
}

export type CommentValues = {
  name: string;
  jobTitle?: string;
  organisation?: string;
  email: string;
  comment: string;
};

export class CommentForm {
  readonly page: Page;
  readonly root: Locator;
  constructor(page: Page) {
    this.page = page;
    this.root = page.locator('#add-comment');
  }

  field(label: 'Name' | 'Job title (optional)' | 'Organisation (optional)' | 'Email address' | 'Comment') {
    return this.root.getByLabel(label, { exact: true });
  }

  get submitButton() {
    return this.root.getByRole('button', { name: 'Send comment' });
  }

  async fill(values: CommentValues) {
    await this.field('Name').fill(values.name);
    if (values.jobTitle) await this.field('Job title (optional)').fill(values.jobTitle);
    if (values.organisation) await this.field('Organisation (optional)').fill(values.organisation);
    await this.field('Email address').fill(values.email);
    await this.field('Comment').fill(values.comment);
  }

  // Sends the form as a person would: not faster than the server's minimum fill time.
  async send(): Promise<Response> {
    await waitForMinimumFillTime(this.page);
    return follow(this.page, this.submitButton);
  }

  async expectThanks() {
    await expect(this.page).toHaveURL(/\/comments\/thanks$/);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Thank you for your comment' })).toBeVisible();
    await expect(this.page.getByText('It will appear on the story once it has been approved.')).toBeVisible();
  }
}

export class StoryPage {
  readonly page: Page;
  readonly slug: string;
  readonly form: CommentForm;
  constructor(page: Page, slug: string = demo.storySlug) {
    this.page = page;
    this.slug = slug;
    this.form = new CommentForm(page);
  }

  get path() {
    return `/stories/${this.slug}`;
  }

  async open() {
    const response = await visit(this.page, this.path);
    expect(response?.status()).toBe(200);
    return this;
  }

  // The <li> of the comment signed by `author` (exactly), or containing `text`.
  commentBy(author: string): Locator {
    return this.page
      .locator('li.app-comment')
      .filter({ has: this.page.locator('> article .app-comment__author', { hasText: new RegExp(`^${escapeRegExp(author)}$`) }) });
  }

  commentWithText(text: string): Locator {
    return this.page.locator('li.app-comment').filter({ has: this.page.locator('> article .app-comment__body', { hasText: text }) });
  }

  // The signature line of a comment: "Name, Job title, Organisation" and the Staff tag.
  signatureOf(comment: Locator): Locator {
    return comment.locator('> article .app-comment__meta');
  }

  // The replies listed directly under a comment.
  repliesTo(comment: Locator): Locator {
    return comment.locator('> ol.app-comments > li.app-comment');
  }

  replyLinkFor(comment: Locator): Locator {
    return comment.locator('> article').getByRole('link', { name: /^Reply to / });
  }
}

export class SignInPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(next?: string) {
    await visit(this.page, next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
    return this;
  }

  async signIn(email: string, password: string): Promise<Response> {
    await this.page.getByLabel('Email address', { exact: true }).fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    return follow(this.page, this.page.getByRole('button', { name: 'Sign in' }));
  }
}

export class ModerationQueue {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(status?: 'pending' | 'approved' | 'rejected' | 'spam' | 'reported') {
    const response = await visit(this.page, status ? `/admin/comments?status=${status}` : '/admin/comments');
    expect(response?.status()).toBe(200);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Comments' })).toBeVisible();
    return this;
  }

  item(text: string): Locator {
    return this.page.locator('li.app-queue__item').filter({ has: this.page.locator('.app-queue__body', { hasText: text }) });
  }

  async approve(text: string) {
    const item = this.item(text);
    await expect(item).toHaveCount(1);
    await follow(this.page, item.getByRole('button', { name: /^Approve/ }));
    await expect(this.page.getByText('Comment approved')).toBeVisible();
  }

  async reply(text: string, replyText: string) {
    const item = this.item(text);
    await expect(item).toHaveCount(1);
    await follow(this.page, item.getByRole('link', { name: /^Reply to / }));
    await this.page.getByLabel('Your reply', { exact: true }).fill(replyText);
    await follow(this.page, this.page.getByRole('button', { name: 'Publish reply' }));
    await expect(this.page.getByText('Your reply has been published')).toBeVisible();
  }
}

// Signs in as a staff account in this page's browser context.
export async function signInAs(page: Page, account: { email: string; password: string }, next?: string) {
  const signIn = await new SignInPage(page).open(next);
  const response = await signIn.signIn(account.email, account.password);
  expect(response.status(), 'signing in should succeed').toBeLessThan(400);
  await expect(page).not.toHaveURL(/\/sign-in/);
}

// Gives this page's browser context the session the global setup started for a shared staff
// account, for journeys that need a member of staff but are not about signing in (signInAs is the
// one about the sign-in form), then opens `next` if given. The page stays where it was otherwise.
type Cookies = Parameters<BrowserContext['addCookies']>[0];
export async function useStaffSession(page: Page, role: keyof typeof accounts, next?: string) {
  const dir = process.env[sessionsDirVariable];
  if (!dir) throw new Error(`${sessionsDirVariable} is not set: the journeys' global setup did not run`);
  const { cookies } = JSON.parse(readFileSync(join(dir, `${role}.json`), 'utf8')) as { cookies: Cookies };
  await page.context().addCookies(cookies);
  if (next) {
    const response = await visit(page, next);
    expect(response?.status(), `${next} as ${role}`).toBeLessThan(400);
    await expect(page).not.toHaveURL(/\/sign-in/);
  }
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Fills in the staff form for a new opportunity (the fields every advert needs), from the page it
// opens on. Paid ones get a fee for the task; the closing date is 1 January of `closingYear`.
export type OpportunityFormValues = {
  kind: string;
  title: string;
  summary: string;
  role: string;
  involved: string;
  time: string;
  fee?: string;
  places?: string;
  closingYear: number;
};
export async function fillOpportunityForm(page: Page, v: OpportunityFormValues) {
  const form = page.getByRole('main');
  await form.getByRole('radio', { name: v.kind }).check();
  await page.getByLabel('Title', { exact: true }).fill(v.title);
  await page.getByLabel('Summary', { exact: true }).fill(v.summary);
  await page.getByLabel('What the role is', { exact: true }).fill(v.role);
  await page.getByLabel('What is involved', { exact: true }).fill(v.involved);
  await page.getByLabel('Time needed', { exact: true }).fill(v.time);
  await form.getByRole('radio', { name: 'Online', exact: true }).check();
  await page
    .getByRole('group', { name: 'Is it paid?' })
    .getByRole('radio', { name: v.fee === undefined ? 'No' : 'Yes' })
    .check();
  if (v.fee !== undefined) {
    await page.getByLabel('Fee', { exact: true }).fill(v.fee);
    await page.getByRole('group', { name: 'The fee is paid' }).getByRole('radio', { name: 'for the task' }).check();
  }
  if (v.places) await page.getByLabel('Number of places').fill(v.places);
  const closing = page.getByRole('group', { name: 'Closing date' });
  await closing.getByLabel('Day').fill('1');
  await closing.getByLabel('Month').fill('1');
  await closing.getByLabel('Year').fill(String(v.closingYear));
  await page.getByLabel('Contact name').fill('Indira Involvement');
}
