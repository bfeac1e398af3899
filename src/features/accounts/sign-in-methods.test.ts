import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { account, passkey } from '#src/platform/identity/tables.ts';
import { checkNewPassword } from './sign-in-methods-service.ts';

const BASE = '/profile/sign-in-methods';
const GOOD = 'river paper lantern 42';

describe('contributor sign-in methods: password and passkeys', async () => {
  const sink = await startSmtpSink();
  // Behind a proxy, so each sign-in below can come from its own address (the limit has its own test).
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, trustProxy: true });
  let address = 0;

  // Posts JSON the way app.js does: the CSRF token from the page in the body.
  async function postJson(
    browser: Browser,
    page: string,
    url: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const token = hiddenFields((await browser.get(page)).body, '')._csrf ?? '';
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookieHeader, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ _csrf: token, ...body }),
    });
    for (const c of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      browser.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }
  const credentialRows = (userId: string) => db.select().from(account).where(eq(account.userId, userId));
  const noticeTo = async (email: string, subject: string) => {
    const message = await waitFor(async () => {
      for (const m of sink.to(email)) {
        const parsed = await sink.parse(m);
        if (parsed.subject === subject) return parsed;
      }
      return undefined;
    });
    return message;
  };
  const passwordSignIn = (email: string, password: string) =>
    new Browser(app).submit('/sign-in/password', '/sign-in/password', { email, password }, { 'x-forwarded-for': `192.0.2.${++address}` });

  it('is for contributors only: anonymous people are sent to sign in, staff of every kind are refused', async () => {
    const anonymous = new Browser(app);
    const page = await anonymous.get(BASE);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/sign-in/email');
    expect((await anonymous.get(`${BASE}/password/add`)).headers.location).toBe('/sign-in/email');
    // The JSON routes answer in JSON (the CSRF check comes first, so give it a token).
    const options = await postJson(anonymous, '/sign-in/password', `${BASE}/passkeys/options`, {});
    expect(options.statusCode).toBe(401);

    for (const role of ['staff', 'involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get(BASE)).statusCode).toBe(403);
      expect((await browser.get(`${BASE}/password/add`)).statusCode).toBe(403);
      const json = await postJson(browser, '/admin', `${BASE}/passkeys/options`, {});
      expect(json.statusCode).toBe(403);
    }

    const { browser } = await joinedContributor(app, sink);
    const mine = await browser.get(BASE);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Sign-in methods');
    expect(mine.body).toContain('Email link');
    expect(mine.body).toContain('You do not have a password');
    // Passkey controls are hidden until app.js finds the browser supports them.
    expect(mine.body).toMatch(/<div data-passkey-supported hidden>/);
    expect((await browser.get('/profile')).body).toContain(`href="${BASE}"`);
  });

  it('adds a password only when it is good enough, tells the person by email, then lets them sign in with it', async () => {
    const { browser, email, id } = await joinedContributor(app, sink, 'Pat Password');
    const bad: [Record<string, string>, string][] = [
      [{ password: '', confirmPassword: '' }, 'Enter a new password'],
      [{ password: 'short', confirmPassword: 'short' }, 'Password must be 12 characters or more'],
      [{ password: 'Password1234', confirmPassword: 'Password1234' }, 'harder to guess'],
      [{ password: 'aaaaaaaaaaaaaaaa', confirmPassword: 'aaaaaaaaaaaaaaaa' }, 'harder to guess'],
      [{ password: GOOD, confirmPassword: `${GOOD}x` }, 'The passwords do not match'],
      [{ password: 'x'.repeat(300), confirmPassword: 'x'.repeat(300) }, '256 characters or fewer'],
      [{ password: `<script>alert(1)</script>${'\u0000'}`, confirmPassword: '' }, 'Enter the password again'],
    ];
    for (const [form, message] of bad) {
      const res = await browser.submit(`${BASE}/password/add`, `${BASE}/password/add`, form);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain(message);
      expect(res.body).not.toContain('<script>alert');
    }
    expect(await credentialRows(id)).toHaveLength(0);

    const added = await browser.submit(`${BASE}/password/add`, `${BASE}/password/add`, { password: GOOD, confirmPassword: GOOD });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${BASE}?saved=password-added`);
    const [row] = await credentialRows(id);
    expect(row!.password).toBeTruthy();
    expect(row!.password).not.toContain(GOOD);
    const notice = await noticeTo(email, 'A password was added to your account');
    expect(notice.text).toContain('If this was not you');
    const page = await browser.get(`${BASE}?saved=password-added`);
    expect(page.body).toContain('Your password has been added');
    expect(page.body).toContain('Change your password');
    // Adding again goes to changing instead.
    expect((await browser.get(`${BASE}/password/add`)).headers.location).toBe(`${BASE}/password/change`);

    const signedIn = await passwordSignIn(email.toUpperCase(), GOOD);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/profile');
    expect(String(signedIn.headers['set-cookie'])).toContain('session_token');
    const data = JSON.parse((await browser.get('/profile/data.json')).body);
    expect(data.signInMethods).toMatchObject({ emailLink: true, password: true, passkeys: [] });
    expect(JSON.stringify(data)).not.toContain(row!.password!);
  });

  it('gives one answer for a wrong password, an unknown address, no password or a staff account, and keeps the two doors apart', async () => {
    const { browser, email } = await joinedContributor(app, sink, 'Dee Doors');
    const noPassword = await joinedContributor(app, sink, 'Nora Nopassword');
    await browser.submit(`${BASE}/password/add`, `${BASE}/password/add`, { password: GOOD, confirmPassword: GOOD });
    const staff = await createStaff(app, 'admin');

    const refusals = [
      await passwordSignIn(email, `${GOOD} wrong`),
      await passwordSignIn('nobody-here@example.net', GOOD),
      await passwordSignIn(noPassword.email, GOOD),
      await passwordSignIn(staff.email, staff.password),
    ];
    for (const res of refusals) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a correct email address and password');
      expect(String(res.headers['set-cookie'] ?? '')).not.toContain('session_token');
    }
    // The same four bodies, apart from the address typed back and the CSRF token.
    const shape = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/\s+/g, ' ');
    expect(new Set(refusals.map((r) => shape(r.body))).size).toBe(1);

    // A contributor's password does not open the staff form.
    const staffDoor = await new Browser(app).submit('/sign-in', '/sign-in', { email, password: GOOD });
    expect(staffDoor.statusCode).toBe(400);
    expect(staffDoor.body).toContain('Enter a correct email address and password');
    // Staff still sign in at theirs.
    expect((await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password })).statusCode).toBe(303);

    for (const form of [
      { email: '', password: '' },
      { email: 'not-an-email', password: 'x' },
      { email: `${'a'.repeat(400)}@example.net`, password: 'x' },
      { email: 'a@example.net', password: 'y'.repeat(5000) },
    ]) {
      const res = await new Browser(app).submit('/sign-in/password', '/sign-in/password', form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('There is a problem');
    }
  });

  it('changes a password only with the current one, signs out other sessions, and tells the person', async () => {
    const { browser, email } = await joinedContributor(app, sink, 'Chris Change');
    await browser.submit(`${BASE}/password/add`, `${BASE}/password/add`, { password: GOOD, confirmPassword: GOOD });
    const elsewhere = await passwordSignIn(email, GOOD);
    const other = new Browser(app);
    other.cookies.set('coproduce.session_token', /coproduce\.session_token=([^;]+)/.exec(String(elsewhere.headers['set-cookie']))![1]!);
    expect((await other.get('/profile')).statusCode).toBe(200);

    const next = 'meadow copper violin 7';
    const wrong = await browser.submit(`${BASE}/password/change`, `${BASE}/password/change`, {
      currentPassword: 'not my password at all',
      password: next,
      confirmPassword: next,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Your current password is not correct');
    const missing = await browser.submit(`${BASE}/password/change`, `${BASE}/password/change`, {
      currentPassword: '',
      password: next,
      confirmPassword: next,
    });
    expect(missing.body).toContain('Enter your current password');
    expect((await passwordSignIn(email, GOOD)).statusCode).toBe(303);

    const changed = await browser.submit(`${BASE}/password/change`, `${BASE}/password/change`, {
      currentPassword: GOOD,
      password: next,
      confirmPassword: next,
    });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`${BASE}?saved=password-changed`);
    await noticeTo(email, 'Your password was changed');
    expect((await browser.get(BASE)).statusCode).toBe(200);
    expect((await other.get('/profile')).statusCode).toBe(302);
    expect((await passwordSignIn(email, GOOD)).statusCode).toBe(400);
    expect((await passwordSignIn(email, next)).statusCode).toBe(303);
  });

  it('removes a password only once confirmed, and tells the person', async () => {
    const { browser, email, id } = await joinedContributor(app, sink, 'Robin Remove');
    await browser.submit(`${BASE}/password/add`, `${BASE}/password/add`, { password: GOOD, confirmPassword: GOOD });
    const unconfirmed = await browser.submit(`${BASE}/password/remove`, `${BASE}/password/remove`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that you want to remove your password');
    expect(await credentialRows(id)).toHaveLength(1);

    const removed = await browser.submit(`${BASE}/password/remove`, `${BASE}/password/remove`, { confirm: 'yes' });
    expect(removed.statusCode).toBe(303);
    expect(await credentialRows(id)).toHaveLength(0);
    await noticeTo(email, 'Your password was removed');
    expect((await passwordSignIn(email, GOOD)).statusCode).toBe(400);
    expect((await browser.get(`${BASE}/password/remove`)).headers.location).toBe(BASE);
  });

  it('lists passkeys and removes one only for its owner, once confirmed, with a notice', async () => {
    const owner = await joinedContributor(app, sink, 'Kim Keys');
    const intruder = await joinedContributor(app, sink, 'Ivo Intruder');
    const id = randomUUID().replace(/-/g, '');
    await db.insert(passkey).values({
      id,
      name: 'Kitchen <b>tablet</b>',
      userId: owner.id,
      publicKey: 'AAAA',
      credentialID: `cred-${id}`,
      counter: 0,
      deviceType: 'singleDevice',
      backedUp: false,
      transports: 'internal',
      createdAt: new Date('2026-11-20T10:00:00Z'),
    });

    const page = await owner.browser.get(BASE);
    expect(page.body).toContain('Kitchen &lt;b&gt;tablet&lt;/b&gt;');
    expect(page.body).toContain('20 November 2026');
    expect(page.body).toContain(`${BASE}/passkeys/${id}/remove`);
    expect((await intruder.browser.get(BASE)).body).not.toContain('tablet');
    // The person's own data download says how they can sign in, never the key itself.
    const data = JSON.parse((await owner.browser.get('/profile/data.json')).body);
    expect(data.signInMethods).toEqual({
      emailLink: true,
      password: false,
      passkeys: [{ name: 'Kitchen <b>tablet</b>', kind: 'Passkey on one device', added: '2026-11-20T10:00:00.000Z' }],
    });
    expect(JSON.stringify(data)).not.toContain('AAAA');
    expect(JSON.stringify(data)).not.toContain(`cred-${id}`);
    expect((await owner.browser.get('/profile/data')).body).toContain('With a passkey, “Kitchen &lt;b&gt;tablet&lt;/b&gt;”');

    expect((await intruder.browser.get(`${BASE}/passkeys/${id}/remove`)).statusCode).toBe(404);
    const stolen = await intruder.browser.submit(BASE, `${BASE}/passkeys/${id}/remove`, { confirm: 'yes' });
    expect(stolen.statusCode).toBe(404);
    expect((await owner.browser.get(`${BASE}/passkeys/${encodeURIComponent("' OR 1=1 --")}/remove`)).statusCode).toBe(404);

    const unconfirmed = await owner.browser.submit(`${BASE}/passkeys/${id}/remove`, `${BASE}/passkeys/${id}/remove`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(await db.select().from(passkey).where(eq(passkey.id, id))).toHaveLength(1);
    const removed = await owner.browser.submit(`${BASE}/passkeys/${id}/remove`, `${BASE}/passkeys/${id}/remove`, { confirm: 'yes' });
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`${BASE}?saved=passkey-removed`);
    expect(await db.select().from(passkey).where(eq(passkey.id, id))).toHaveLength(0);
    await noticeTo(owner.email, 'A passkey was removed from your account');
  });

  it('gives passkey options through our routes, with a challenge cookie, and refuses bad or unprotected answers', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Val Verify');
    const options = await postJson(browser, BASE, `${BASE}/passkeys/options`, {});
    expect(options.statusCode).toBe(200);
    const json = options.json<{ challenge: string; rp: { id: string; name: string }; user: { name: string } }>();
    expect(json.challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(json.rp.id).toBe('localhost');
    expect(String(options.headers['set-cookie'])).toContain('passkey-challenge');
    expect(options.headers['cache-control']).toBe('no-store');

    const forged = await postJson(browser, BASE, `${BASE}/passkeys/verify`, {
      response: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AA' } },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json<{ message: string }>().message).toContain('could not be added');
    for (const response of [undefined, 'text', ['array']]) {
      expect((await postJson(browser, BASE, `${BASE}/passkeys/verify`, { response })).statusCode).toBe(400);
    }
    expect((await postJson(browser, BASE, `${BASE}/passkeys/verify`, { response: {}, name: 'n'.repeat(61) })).statusCode).toBe(400);
    expect(await db.select().from(passkey).where(eq(passkey.userId, id))).toHaveLength(0);

    // Without the CSRF token nothing is even attempted.
    const noToken = await app.inject({
      method: 'POST',
      url: `${BASE}/passkeys/options`,
      headers: { cookie: browser.cookieHeader, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(noToken.statusCode).toBe(403);

    // Signing in with a passkey: options for anyone, and an unknown credential is refused.
    const visitor = new Browser(app);
    const signInOptions = await postJson(visitor, '/sign-in/password', '/sign-in/passkey/options', {});
    expect(signInOptions.statusCode).toBe(200);
    expect(signInOptions.json<{ challenge: string; rpId: string }>().rpId).toBe('localhost');
    const unknown = await postJson(visitor, '/sign-in/password', '/sign-in/passkey/verify', {
      response: { id: 'unknown', rawId: 'unknown', type: 'public-key', response: {} },
    });
    expect(unknown.statusCode).toBe(400);
    expect(String(unknown.headers['set-cookie'] ?? '')).not.toContain('session_token');
    expect((await postJson(visitor, '/sign-in/password', '/sign-in/passkey/verify', { response: 'nonsense' })).statusCode).toBe(400);
    const page = await visitor.get('/sign-in/password');
    expect(page.body).toMatch(/<div data-passkey-supported hidden>/);
  });
});

describe('password rules', () => {
  it('refuses short, common, repeated and email-like passwords and accepts long random words', () => {
    const check = (password: string) => checkNewPassword({ password, confirmPassword: password }, 'sam.smith@example.net').ok;
    expect(check('short')).toBe(false);
    expect(check('password1234')).toBe(false);
    expect(check('QWERTYUIOPAS')).toBe(false);
    expect(check('zzzzzzzzzzzzzz')).toBe(false);
    expect(check('sam.smith@example.net')).toBe(false);
    expect(check('samsmith1234!')).toBe(false);
    expect(check(GOOD)).toBe(true);
    expect(check('  spaces count too  ')).toBe(true);
  });
});
