import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, createStaff, hiddenFields } from '#tests/helpers/app.ts';
import { secretOnPage, totp } from '#tests/helpers/totp.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';

describe('two-factor sign-in for staff', async () => {
  const sink = await startSmtpSink();
  const { app } = await buildTestApp({ smtpUrl: sink.url, trustProxy: true });
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `198.51.100.${++address}` });

  const signIn = async (email: string, password: string) => {
    const browser = new Browser(app);
    const res = await browser.submit('/sign-in', '/sign-in', { email, password }, from());
    return { browser, res };
  };

  // Signs in, sets up two-factor sign-in through the pages, and returns the secret and codes.
  async function withTwoFactor(role: 'staff' | 'admin' = 'staff') {
    const staff = await createStaff(app, role);
    const { browser } = await signIn(staff.email, staff.password);
    const setup = await browser.submit('/account/two-factor', '/account/two-factor/start', { password: staff.password }, from());
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain('<svg');
    const secret = secretOnPage(setup.body)!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const hidden = hiddenFields(setup.body, '/account/two-factor/confirm');
    const wrong = await browser.post(
      '/account/two-factor/confirm',
      { ...hidden, code: '000000' === totp(secret) ? '111111' : '000000' },
      from(),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code is not right');
    const done = await browser.post('/account/two-factor/confirm', { ...hidden, code: totp(secret) }, from());
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Save these codes now');
    const codes = [...done.body.matchAll(/<li><code>([A-Za-z0-9]{5}-[A-Za-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    return { staff, browser, secret, codes };
  }

  it('turns on with a code from the app, then asks for a code after the password', async () => {
    const { staff, browser, secret } = await withTwoFactor();
    expect((await browser.get('/account')).body).toMatch(/Two-factor sign-in[\s\S]*On/);
    const { browser: next, res } = await signIn(staff.email, staff.password);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in/two-factor?next=%2Fadmin');
    // No session yet: the staff area is still closed.
    expect((await next.get('/admin')).statusCode).toBe(302);
    const wrong = await next.submit(res.headers.location!, '/sign-in/two-factor', { code: '12345' }, from());
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('nhsuk-error-summary');
    const ok = await next.submit(res.headers.location!, '/sign-in/two-factor', { code: totp(secret) }, from());
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/admin');
    expect((await next.get('/admin')).statusCode).toBe(200);
  });

  it('takes each recovery code once', async () => {
    const { staff, codes } = await withTwoFactor();
    const first = await signIn(staff.email, staff.password);
    const used = await first.browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: codes[0]! }, from());
    expect(used.statusCode).toBe(303);
    const again = await signIn(staff.email, staff.password);
    const reused = await again.browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: codes[0]! }, from());
    expect(reused.statusCode).toBe(400);
    const other = await again.browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: codes[1]! }, from());
    expect(other.statusCode).toBe(303);
  });

  it('ends the attempt after 5 wrong codes', async () => {
    const { staff, secret } = await withTwoFactor();
    const { browser } = await signIn(staff.email, staff.password);
    const right = totp(secret);
    const wrongCode = right === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) {
      const res = await browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: wrongCode }, from());
      expect(res.statusCode).toBe(400);
    }
    const late = await browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: right }, from());
    expect(late.statusCode).toBe(303);
    expect(late.headers.location).toBe('/sign-in?expired=1');
    expect((await browser.get('/admin')).statusCode).toBe(302);
  });

  it('makes new recovery codes (the old ones stop working) and turns off with the password', async () => {
    const { staff, browser, codes } = await withTwoFactor();
    const renewed = await browser.submit('/account/two-factor', '/account/two-factor/recovery-codes', { password: staff.password }, from());
    expect(renewed.statusCode).toBe(200);
    const fresh = [...renewed.body.matchAll(/<li><code>([A-Za-z0-9]{5}-[A-Za-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[0]);
    const old = await signIn(staff.email, staff.password);
    expect((await old.browser.submit('/sign-in/two-factor', '/sign-in/two-factor', { code: codes[0]! }, from())).statusCode).toBe(400);
    const wrong = await browser.submit('/account/two-factor', '/account/two-factor/off', { offPassword: 'not the password' }, from());
    expect(wrong.statusCode).toBe(400);
    const off = await browser.submit('/account/two-factor', '/account/two-factor/off', { offPassword: staff.password }, from());
    expect(off.headers.location).toBe('/account?saved=two-factor-off');
    const plain = await signIn(staff.email, staff.password);
    expect(plain.res.headers.location).toBe('/admin');
  });

  it('when an admin requires it, sends staff without it to set it up before the staff area', async () => {
    const { browser: admin } = await withTwoFactor('admin');
    const saved = await admin.submit('/account', '/account/two-factor-requirement', { requireTwoFactor: 'yes' });
    expect(saved.headers.location).toBe('/account?saved=requirement');
    try {
      const staff = await createStaff(app);
      const { browser } = await signIn(staff.email, staff.password);
      const home = await browser.get('/admin');
      expect(home.statusCode).toBe(303);
      expect(home.headers.location).toBe('/account/two-factor?required=1');
      expect((await browser.get('/admin/stories')).headers.location).toBe('/account/two-factor?required=1');
      const page = await browser.get('/account/two-factor?required=1');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('requires two-factor sign-in for all staff');
    } finally {
      await admin.submit('/account', '/account/two-factor-requirement', { requireTwoFactor: 'no' });
    }
  });

  it('lets only admins change the rule, and refuses to turn it off while it is required', async () => {
    const staff = await createStaff(app);
    const { browser } = await signIn(staff.email, staff.password);
    const refused = await browser.submit('/account', '/account/two-factor-requirement', { requireTwoFactor: 'yes' });
    expect(refused.statusCode).toBe(403);
    expect((await app.services.securitySettings.get()).requireTwoFactor).toBe(false);
  });
});
