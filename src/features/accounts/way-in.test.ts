import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';

// Finding the way in and out: the header's Sign in link, the page of ways to sign in, and the
// page that says you have signed out.
const sink = await startSmtpSink();
const { app } = await buildTestApp({ smtpUrl: sink.url });
const headerOf = (html: string) => /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';

describe('the header', () => {
  it('offers Sign in to everyone signed out, and Your profile or Staff area and Sign out once signed in', async () => {
    const anonymous = headerOf((await app.inject('/')).body);
    expect(anonymous).toContain('<a href="/sign-in/choose">Sign in</a>');
    expect(anonymous).not.toContain('Sign out');

    const { browser } = await joinedContributor(app, sink, 'Hana Header');
    const contributor = headerOf((await browser.get('/')).body);
    expect(contributor).not.toContain('/sign-in/choose');
    expect(contributor).toContain('<a href="/profile">Your profile</a>');
    expect(contributor).toMatch(/<form class="app-inline-form" method="post" action="\/sign-out">\s*<input type="hidden" name="_csrf"/);

    const staff = headerOf((await (await signedInBrowser(app, 'staff')).browser.get('/')).body);
    expect(staff).toContain('<a href="/admin">Staff area</a>');
    expect(staff).not.toContain('/sign-in/choose');
    expect(staff).toContain('Sign out');
  });
});

describe('the sign-in page', () => {
  it('offers contributors the emailed link and the password, and points staff to their sign-in', async () => {
    const page = await app.inject('/sign-in/choose');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    for (const link of ['href="/sign-in/email"', 'href="/sign-in/password"', 'href="/join"', 'href="/sign-in"'])
      expect(page.body).toContain(link);
    expect(page.body).toContain('Get a link by email');
    expect(page.body).toContain('Sign in with a password or passkey');
    expect(page.body).toContain('sign in to the staff area');
  });

  it('sends someone already signed in to their own pages', async () => {
    const { browser } = await joinedContributor(app, sink, 'Sam Signed');
    expect((await browser.get('/sign-in/choose')).headers.location).toBe('/profile');
    expect((await (await signedInBrowser(app, 'admin')).browser.get('/sign-in/choose')).headers.location).toBe('/admin');
  });

  it('is in Welsh', async () => {
    const page = await app.inject('/sign-in/choose?lang=cy');
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain('<h1>Mewngofnodi</h1>');
    expect(page.body).toContain('Cael dolen drwy e-bost');
    expect(page.body).not.toContain('Get a link by email');
  });
});

describe('signing out', () => {
  it('ends the session and says so, with ways to sign in again or go home', async () => {
    const { browser } = await joinedContributor(app, sink, 'Owen Out');
    const out = await browser.submit('/profile', '/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/signed-out');
    const page = await browser.get('/signed-out');
    expect(page.body).toContain('You have signed out');
    expect(page.body).toContain('<a href="/sign-in/choose">Sign in again</a>');
    expect(page.body).toContain('<a href="/">Go to the home page</a>');
    expect(headerOf(page.body)).toContain('Sign in');
    expect((await browser.get('/profile')).headers.location).toBe('/sign-in/email');
  });

  it('needs the CSRF token (a link elsewhere cannot sign people out)', async () => {
    const { browser } = await joinedContributor(app, sink, 'Ceri Csrf');
    expect((await browser.post('/sign-out', {})).statusCode).toBe(403);
    expect((await browser.get('/profile')).statusCode).toBe(200);
  });

  it('says so in Welsh', async () => {
    const page = await new Browser(app).get('/signed-out?lang=cy');
    expect(page.body).toContain('Rydych chi wedi allgofnodi');
    expect(page.body).toContain('Mewngofnodi eto');
    expect(page.body).not.toContain('You have signed out');
  });
});
