import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, createStaff, signedInBrowser } from '#tests/helpers/app.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import { hostileNextValues } from '#tests/helpers/hostile-input.ts';

const { app } = await buildTestApp();

describe('staff sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const staff = await createStaff(app, 'admin');
    const browser = new Browser(app);
    const res = await browser.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.includes('session_token'))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const admin = await browser.get('/admin');
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('Staff area');
  });

  it('refuses a wrong password with the error summary and the same message as an unknown email', async () => {
    const staff = await createStaff(app);
    const wrong = await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: 'not the password' });
    const unknown = await new Browser(app).submit('/sign-in', '/sign-in', { email: 'nobody@example.org', password: 'whatever it is' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain('Enter a correct email address and password');
    }
  });

  it('explains missing fields inline', async () => {
    const res = await new Browser(app).submit('/sign-in', '/sign-in', { email: 'not-an-email', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter an email address in the correct format');
    expect(res.body).toContain('Enter your password');
    expect(res.body).toContain('href="#email"');
  });

  it('rejects a form without a CSRF token, changing nothing', async () => {
    const staff = await createStaff(app);
    const res = await new Browser(app).post('/sign-in', { email: staff.email, password: staff.password });
    expect(res.statusCode).toBe(403);
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('session_token');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('sends anonymous people to sign in and signs out', async () => {
    const anon = await new Browser(app).get('/admin');
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toContain('/sign-in');
    const { browser } = await signedInBrowser(app);
    const out = await browser.submit('/admin', '/sign-out', {});
    expect(out.statusCode).toBe(303);
    const after = await browser.get('/admin');
    expect(after.statusCode).toBe(302);
  });

  // Issue 17, finding 1: browsers drop tabs and newlines from addresses, so "/\t/evil.example" was "//evil.example".
  it('never redirects to another site after sign-in, whatever the next value', async () => {
    const { browser } = await signedInBrowser(app, 'staff');
    for (const next of hostileNextValues) {
      const res = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(res.statusCode, next).toBe(302);
      expect(res.headers.location, next).toBe('/admin');
    }
    const staff = await createStaff(app, 'staff');
    const fresh = new Browser(app);
    const res = await fresh.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password, next: '/\t/evil.example' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const kept = await new Browser(app).submit('/sign-in', '/sign-in', {
      email: staff.email,
      password: staff.password,
      next: '/admin/comments?tab=held',
    });
    expect(kept.headers.location).toBe('/admin/comments?tab=held');
  });
});

describe('creating staff accounts', () => {
  it('refuses a duplicate email and a bad role', async () => {
    const first = await createStaffUser(app.auth, {
      email: 'dup@example.org',
      name: 'A',
      role: 'staff',
      password: 'a long enough password',
    });
    expect(first.ok).toBe(true);
    const again = await createStaffUser(app.auth, { email: 'DUP@example.org', name: 'B', role: 'staff' });
    expect(again).toEqual({ ok: false, error: 'An account with the email dup@example.org already exists' });
    const bad = await createStaffUser(app.auth, { email: 'x@example.org', name: 'C', role: 'owner' as 'staff' });
    expect(bad.ok).toBe(false);
  });

  it('generates a strong password when none is given', async () => {
    const res = await createStaffUser(app.auth, { email: 'gen@example.org', name: 'G', role: 'admin' });
    expect(res.ok && res.generated && res.password.length >= 20).toBe(true);
  });
});
