import type { Page } from '@playwright/test';
import { expect } from './helpers.ts';
import { follow, visit } from './pages.ts';

// The development outbox (/dev/outbox), where the e2e server (no SMTP_URL) keeps every email.
// Only signed-in staff can read it. Emails go through a queue, so they arrive a moment later.
export class Outbox {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  // Opens the newest email to `to` whose subject matches, reloading the list (each load checked
  // with axe) until it arrives, and returns its plain-text body.
  async open(to: string, subject: string | RegExp): Promise<string> {
    await this.arrived(to, subject);
    const entry = this.page
      .getByRole('main')
      .getByRole('listitem')
      .filter({ hasText: `To ${to},` })
      .getByRole('link', { name: subject });
    await expect(async () => {
      const response = await visit(this.page, '/dev/outbox');
      expect(response?.status()).toBe(200);
      await expect(entry.first()).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 45_000, intervals: [500, 1_000, 1_000, 2_000] });
    await follow(this.page, entry.first());
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(subject);
    return (await this.page.locator('pre').first().textContent()) ?? '';
  }

  // Waits until the list shows the email, reading it over plain HTTP with the page's cookies, so
  // that the browser loads the list (and axe checks it) once the email is there rather than on
  // every poll. The browser check in `open` still decides; this only saves the reloads.
  private async arrived(to: string, subject: string | RegExp) {
    await expect
      .poll(
        async () => {
          const response = await this.page.request.get('/dev/outbox');
          if (!response.ok()) return false;
          return listItems(await response.text()).some(
            (item) =>
              item.text.includes(`To ${to},`) &&
              (typeof subject === 'string' ? item.link.includes(subject) : subject.test(item.link.trim())),
          );
        },
        { timeout: 45_000, intervals: [100, 200, 250] },
      )
      .toBe(true);
  }

  // The value of a header shown on the open email ('' when the email does not have it).
  header(name: string) {
    return this.page
      .locator('.nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) })
      .locator('dd');
  }
}

// Each list item on a page: its text and its first link's text (tags removed, entities decoded).
function listItems(html: string): { text: string; link: string }[] {
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
