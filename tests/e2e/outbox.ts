import type { Page } from '@playwright/test';
import { expect } from './helpers.ts';
import { follow, visit } from './pages.ts';

// The development outbox (/dev/outbox), where the e2e server (no SMTP_URL) keeps every email.
// Only signed-in staff can read it. Emails go through a queue, so they arrive a moment later.
// Browsers whose worker has already loaded (and checked) the list page.
const listChecked = new WeakSet<object>();
export class Outbox {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  // Opens the newest email to `to` whose subject matches, once it has arrived, and returns its
  // plain-text body. The first time in a worker the browser goes through the list of that
  // person's emails, as a person would (the list page is checked with axe); after that it opens the
  // email at its own address, read off the list over HTTP. The list is always of `to`'s emails
  // only: the whole outbox shows the newest 100, and an email sent when the server started (a
  // meeting's reminder) is long off it by the time a late journey reads it.
  async open(to: string, subject: string | RegExp): Promise<string> {
    const href = await this.arrived(to, subject);
    const worker = this.page.context().browser() ?? this.page.context();
    if (listChecked.has(worker)) {
      expect((await visit(this.page, href))?.status()).toBe(200);
    } else {
      const entry = this.page
        .getByRole('main')
        .getByRole('listitem')
        .filter({ hasText: `To ${to},` })
        .getByRole('link', { name: subject });
      expect((await visit(this.page, outboxFor(to)))?.status()).toBe(200);
      await follow(this.page, entry.first());
      listChecked.add(worker);
    }
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(subject);
    return (await this.page.locator('pre').first().textContent()) ?? '';
  }

  // Waits until the list shows the email, reading it over plain HTTP with the page's cookies (the
  // browser then loads one page, not one per poll), and returns the newest matching email's address.
  private async arrived(to: string, subject: string | RegExp): Promise<string> {
    let href = '';
    await expect
      .poll(
        async () => {
          const response = await this.page.request.get(outboxFor(to));
          if (!response.ok()) return false;
          const found = listItems(await response.text()).find(
            (item) =>
              item.text.includes(`To ${to},`) &&
              (typeof subject === 'string' ? item.link.includes(subject) : subject.test(item.link.trim())),
          );
          href = found?.href ?? '';
          return !!found;
        },
        { timeout: 45_000, intervals: [100, 200, 250] },
      )
      .toBe(true);
    return href;
  }

  // The value of a header shown on the open email ('' when the email does not have it).
  header(name: string) {
    return this.page
      .locator('.nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) })
      .locator('dd');
  }
}

const outboxFor = (to: string) => `/dev/outbox?to=${encodeURIComponent(to)}`;

// Each list item on a page: its text, its first link's text (tags removed, entities decoded) and
// address. The list is newest first.
function listItems(html: string): { text: string; link: string; href: string }[] {
  const text = (fragment: string) =>
    fragment
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => ({
    text: text(m[1]!),
    link: text(/<a[^>]*>([\s\S]*?)<\/a>/.exec(m[1]!)?.[1] ?? ''),
    href: /<a[^>]*href="([^"]+)"/.exec(m[1]!)?.[1] ?? '',
  }));
}

// The first link in an email's text whose path starts with `prefix`, as a path on this site.
export function linkIn(text: string, prefix: string): string {
  const found = text
    .match(/https?:\/\/[^\s<>"]+/g)
    ?.map((u) => new URL(u))
    .find((u) => u.pathname.startsWith(prefix));
  if (!found) throw new Error(`No link to ${prefix}… in the email:\n${text}`);
  return `${found.pathname}${found.search}`;
}

// Signs `page` in as the person with `email`, by the link emailed to them (read off the outbox by
// the staff page `outbox` belongs to).
export async function signInByLink(page: Page, outbox: Outbox, email: string) {
  await visit(page, '/sign-in/email');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await follow(page, page.getByRole('button', { name: 'Send me a link' }));
  const link = await outbox.open(email, /^Your link to sign in to /);
  await visit(page, linkIn(link, '/sign-in/continue'));
  await follow(page, page.getByRole('button', { name: 'Continue' }));
}

// A new page, signed in as the person with `email` by their emailed link.
export async function signedInPage(newPage: () => Promise<Page>, outbox: Outbox, email: string): Promise<Page> {
  const p = await newPage();
  await signInByLink(p, outbox, email);
  return p;
}
