import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, hiddenFields } from '#tests/helpers/app.ts';
import { newsletterFollows } from './tables.ts';
import { buildFollowTestApp, confirmLink, followOf, linkIn, mailsTo, testPages, unsubscribeLink } from './follows-test-support.ts';

const [page, otherPage] = testPages as [(typeof testPages)[0], (typeof testPages)[0]];
const formPath = `${page.path}/follow`;

describe('following a page by email', async () => {
  const t = await buildFollowTestApp();
  const { app, db, services } = t;
  const follows = services.newsletters.follows;
  const update = (n: number) => ({
    key: `test-update-${n}`,
    message: (tr: { t: (k: string) => string; lang: string }) => ({
      subject: `Update ${n} (${tr.lang})`,
      paragraphs: [`Progress number ${n}`],
    }),
  });

  // Asks on the form, then presses Confirm on the page the emailed link opens.
  async function followAndConfirm(email: string, target = page, lang: 'en' | 'cy' = 'en') {
    const browser = new Browser(app);
    await browser.get(`${target.path}/follow?lang=${lang}`);
    const res = await browser.submit(`${target.path}/follow`, `${target.path}/follow`, { email });
    expect(res.statusCode).toBe(303);
    const link = await linkIn(t, email.toLowerCase(), confirmLink);
    const done = await browser.submit(link, link, {});
    expect(done.statusCode).toBe(200);
    return done;
  }

  it('offers the form with a privacy note, and a page that does not exist is not found', async () => {
    const form = await app.inject(formPath);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Get updates by email');
    expect(form.body).toMatch(/<label[^>]*for="follow-email"[^>]*>\s*Email address/);
    expect(form.body).toContain('href="/privacy#email-updates"');
    expect(form.body).toContain(`href="${page.path}"`);
    expect((await app.inject('/test-pages/no-such-page/follow')).statusCode).toBe(404);
    const browser = new Browser(app);
    const missing = await browser.submit(formPath, '/test-pages/no-such-page/follow', { email: 'a@example.net' });
    expect(missing.statusCode).toBe(404);
    expect(await followOf(t, 'a@example.net')).toBeUndefined();
  });

  it('refuses a bad email address with an error summary and stores nothing', async () => {
    const browser = new Browser(app);
    for (const email of ['', 'not-an-email', `${'a'.repeat(250)}@example.net`]) {
      const res = await browser.submit(formPath, formPath, { email });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain('href="#follow-email"');
    }
    const bad = await browser.submit(formPath, formPath, { email: 'not-an-email' });
    expect(bad.body).toContain('Enter an email address in the correct format');
    expect(bad.body).toContain('value="not-an-email"');
    expect(await db.select().from(newsletterFollows)).toHaveLength(0);
  });

  it('needs the Confirm button (double opt-in): a pending follower gets no update', async () => {
    const browser = new Browser(app);
    const res = await browser.submit(formPath, formPath, { email: 'Robin@Example.net' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page.path}/follow/check-email`);
    expect((await browser.get(String(res.headers.location))).body).toContain('Check your email');
    const pending = (await followOf(t, 'robin@example.net'))!;
    expect(pending).toMatchObject({ status: 'pending', targetTitle: page.title, targetPath: page.path, consentedAt: null });
    expect(pending.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);
    const [confirmation] = await mailsTo(t, 'robin@example.net');
    expect(confirmation!.subject).toBe(`Confirm you want updates about ${page.title}`);

    expect(await follows.notify(page, update(1))).toBe(0);
    expect(await mailsTo(t, 'robin@example.net')).toHaveLength(1);

    const link = await linkIn(t, 'robin@example.net', confirmLink);
    expect(link).not.toContain(pending.confirmTokenHash!);
    const ask = await browser.get(link);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toMatch(/<button[^>]*type="submit">\s*Confirm\s*<\/button>/);
    expect((await followOf(t, 'robin@example.net'))!.status).toBe('pending');
    expect((await new Browser(app).post(link, {})).statusCode).toBe(403);

    const done = await browser.submit(link, link, {});
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`You are following ${page.title}`);
    expect(done.body).toContain(`href="${page.path}"`);
    const active = (await followOf(t, 'robin@example.net'))!;
    expect(active.status).toBe('active');
    expect(active.consentedAt).toBeInstanceOf(Date);
    expect(active.confirmTokenHash).toBeNull();
    // The link is used up, even posted with the page's token again.
    expect((await browser.post(link, hiddenFields(ask.body, link))).statusCode).toBe(404);
    expect(await follows.count(page)).toBe(1);
    expect(await follows.count(otherPage)).toBe(0);
  });

  it('sends a confirmed follower exactly one email per update, with a one-click unsubscribe', async () => {
    await followAndConfirm('sam@example.net');
    const before = (await mailsTo(t, 'sam@example.net')).length;
    const sent = await db.transaction((tx) => follows.notify(page, { ...update(2), tx }));
    expect(sent).toBeGreaterThanOrEqual(1);
    await follows.notify(page, update(2));
    await follows.notify(otherPage, update(2));
    const after = await mailsTo(t, 'sam@example.net');
    expect(after).toHaveLength(before + 1);
    const mail = after.at(-1)!;
    expect(mail.subject).toBe('Update 2 (en)');
    expect(mail.kind).toBe('follow-update');
    expect(mail.textBody).toContain('Progress number 2');
    expect(mail.textBody).toContain(`because you asked for updates about ${page.title}`);
    const url = mail.headers['List-Unsubscribe']!;
    expect(url).toMatch(/^<http:\/\/localhost:3000\/follow\/unsubscribe\/\d+\.[A-Za-z0-9_-]{32}>$/);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    await follows.notify(page, update(3));
    expect(await mailsTo(t, 'sam@example.net')).toHaveLength(before + 2);
  });

  it('says the same whether or not the address already follows, and sends nothing new', async () => {
    await followAndConfirm('kim@example.net');
    const count = (await mailsTo(t, 'kim@example.net')).length;
    const browser = new Browser(app);
    const again = await browser.submit(formPath, formPath, { email: 'kim@example.net' });
    const stranger = await browser.submit(formPath, formPath, { email: 'stranger@example.net' });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(stranger.headers.location);
    expect(await mailsTo(t, 'kim@example.net')).toHaveLength(count);
    // Asking twice within ten minutes sends one confirmation.
    await browser.submit(formPath, formPath, { email: 'stranger@example.net' });
    expect(await mailsTo(t, 'stranger@example.net')).toHaveLength(1);
    // Another page is another follow.
    await browser.submit(`${otherPage.path}/follow`, `${otherPage.path}/follow`, { email: 'stranger@example.net' });
    expect(await mailsTo(t, 'stranger@example.net')).toHaveLength(2);
  });

  it('refuses expired, forged and altered links', async () => {
    const browser = new Browser(app);
    await browser.submit(formPath, formPath, { email: 'late@example.net' });
    const link = await linkIn(t, 'late@example.net', confirmLink);
    const hidden = hiddenFields((await browser.get(link)).body, link);
    await db
      .update(newsletterFollows)
      .set({ confirmExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(newsletterFollows.email, 'late@example.net'));
    const expired = await browser.get(link);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect((await browser.post(link, hidden)).statusCode).toBe(410);
    expect((await followOf(t, 'late@example.net'))!.status).toBe('pending');
    expect((await browser.get(`/follow/confirm/${'A'.repeat(32)}`)).statusCode).toBe(404);
    expect((await browser.get('/follow/confirm/short')).statusCode).toBe(404);
    expect((await browser.get('/follow/unsubscribe/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);
    expect((await new Browser(app).post('/follow/unsubscribe/1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {})).statusCode).toBe(404);
    // A newsletter preference token for the same id is not an unsubscribe link for a follow.
    const follow = (await followOf(t, 'late@example.net'))!;
    const newsletterToken = services.newsletters.tokens.sign(follow.id);
    expect((await browser.get(`/follow/unsubscribe/${newsletterToken}`)).statusCode).toBe(404);
  });

  it('unsubscribes with one click, with no CSRF token or cookie, and offers to follow again', async () => {
    await followAndConfirm('alex@example.net');
    await follows.notify(page, update(4));
    const link = await linkIn(t, 'alex@example.net', unsubscribeLink);
    const ask = await new Browser(app).get(link);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('alex@example.net');
    expect(ask.body).toMatch(/<button[^>]*type="submit">\s*Stop updates\s*<\/button>/);
    const res = await app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('You will not get any more updates');
    expect(res.body).toContain(`href="${page.path}#follow"`);
    expect((await followOf(t, 'alex@example.net'))!).toMatchObject({ status: 'unsubscribed' });
    const count = (await mailsTo(t, 'alex@example.net')).length;
    await follows.notify(page, update(5));
    expect(await mailsTo(t, 'alex@example.net')).toHaveLength(count);
    // Pressing it again changes nothing.
    expect((await app.inject({ method: 'POST', url: link })).statusCode).toBe(200);
    // Following again needs a fresh confirmation.
    const browser = new Browser(app);
    await browser.submit(formPath, formPath, { email: 'alex@example.net' });
    expect((await followOf(t, 'alex@example.net'))!.status).toBe('pending');
    expect(await mailsTo(t, 'alex@example.net')).toHaveLength(count + 1);
  });

  it('writes in the language the person asked in, with the page title in it', async () => {
    const welsh = new Browser(app);
    const form = await welsh.get(`${formPath}?lang=cy`);
    expect(form.body).toContain('<html lang="cy">');
    expect(form.body).toContain('Cael diweddariadau drwy e-bost');
    expect(form.body).toContain('Cyhoeddi amseroedd aros clinigau');
    const done = await followAndConfirm('cymraeg@example.net', page, 'cy');
    expect(done.body).toContain('Rydych chi&#39;n dilyn Cyhoeddi amseroedd aros clinigau');
    const [confirmation] = await mailsTo(t, 'cymraeg@example.net');
    expect(confirmation!.subject).toBe('Cadarnhewch eich bod eisiau diweddariadau am Cyhoeddi amseroedd aros clinigau');
    expect(confirmation!.htmlBody).toContain('<html lang="cy">');
    await follows.notify(page, update(6));
    expect((await mailsTo(t, 'cymraeg@example.net')).at(-1)!.subject).toBe('Update 6 (cy)');
  });

  it('lists the account address follows in the download, and erases only unconfirmed ones with the account', async () => {
    await followAndConfirm('owner@example.net');
    const browser = new Browser(app);
    await browser.submit(`${otherPage.path}/follow`, `${otherPage.path}/follow`, { email: 'owner@example.net' });
    const ctx = app.featureContext;
    const hooks = ctx.extensions.personalData.find((p) => p.feature === 'newsletters')!;
    const pages = await follows.forEmail('Owner@example.net');
    expect(pages.map((p) => [p.title, p.status])).toEqual([
      [page.title, 'active'],
      [otherPage.title, 'pending'],
    ]);
    await db.transaction(async (tx) => {
      await hooks.erase!(ctx, { id: 'no-such-user', email: 'owner@example.net' }, tx);
    });
    expect(await followOf(t, 'owner@example.net', otherPage)).toBeUndefined();
    expect((await followOf(t, 'owner@example.net'))!.status).toBe('active');
    expect(await hooks.export!(ctx, 'no-such-user')).toMatchObject({ followedPages: [] });
    // The "Your data" page's section, from what the download holds.
    const section = ctx.nunjucks.render('newsletters/views/follows/_my-data.njk', { lang: 'en', data: { followedPages: pages } });
    expect(section).toContain('Pages you follow by email');
    expect(section).toContain(`<a href="${page.path}">${page.title}</a>`);
    expect(section).toContain('Getting updates');
    expect(section).toContain('Not confirmed yet');
  });

  it('deletes follows never confirmed after 30 days', async () => {
    const browser = new Browser(app);
    await browser.submit(formPath, formPath, { email: 'forgetful@example.net' });
    await followAndConfirm('keen@example.net');
    expect(await follows.purgeUnconfirmed(new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await follows.purgeUnconfirmed(new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await followOf(t, 'forgetful@example.net')).toBeUndefined();
    expect((await followOf(t, 'keen@example.net'))!.status).toBe('active');
  });
});
