import { afterAll } from 'vitest';
import type { Config } from '#src/config.ts';
import { testConfig } from './config.ts';
import { buildApp } from '#src/app.ts';
import { openTestDatabase } from './database.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import type { StaffRole } from '#src/platform/identity/roles.ts';

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>;

// A real app on a real (fresh) database, driven with app.inject. Closed after the file's tests.
export async function buildTestApp(overrides: Partial<Config> = {}) {
  const config: Config = { ...testConfig(), ...overrides };
  const database = await openTestDatabase();
  const app = await buildApp({ config, database });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await database.close();
  });
  return { app, database, db: database.db, services: app.services, config };
}

// A cookie jar for inject: remembers Set-Cookie across requests like a browser would.
export class Browser {
  cookies = new Map<string, string>();
  private readonly app: TestApp['app'];
  constructor(app: TestApp['app']) {
    this.app = app;
  }

  private remember(setCookie: string | string[] | undefined) {
    for (const c of [setCookie ?? []].flat()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, ...headers } });
    this.remember(res.headers['set-cookie']);
    return res;
  }

  async post(url: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: body.toString(),
    });
    this.remember(res.headers['set-cookie']);
    return res;
  }

  // Loads a page, then submits a form on it with the page's CSRF token (and any hidden fields).
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const page = await this.get(pageUrl);
    const hidden = hiddenFields(page.body, action);
    return this.post(action, { ...hidden, ...fields }, headers);
  }
}

// The hidden inputs of the first form on the page posting to `action`.
export function hiddenFields(html: string, action: string): Record<string, string> {
  const forms = html.split('<form').slice(1);
  const form = forms.find((f) => f.slice(0, f.indexOf('>')).includes(`action="${action}"`)) ?? forms[0] ?? '';
  const body = form.slice(0, form.indexOf('</form>'));
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name)
      out[name] = value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
  }
  return out;
}

export async function createStaff(
  app: TestApp['app'],
  role: StaffRole = 'staff',
  email = `${role}-${Math.random().toString(36).slice(2)}@example.org`,
) {
  const password = 'correct horse battery staple';
  const result = await createStaffUser(app.auth, { email, name: `Test ${role}`, role, jobTitle: 'Involvement lead', password });
  if (!result.ok) throw new Error(result.error);
  return { email, password, id: result.userId };
}

export async function signedInBrowser(app: TestApp['app'], role: StaffRole = 'staff') {
  const staff = await createStaff(app, role);
  const browser = new Browser(app);
  const res = await browser.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
  return { browser, staff };
}
