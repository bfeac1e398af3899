import { describe, expect, it } from 'vitest';

// Pages escape apostrophes; the Welsh has many.
const text = (html: string) => html.replaceAll('&#39;', "'");
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { newsletterSubscribers, newsletterTopics, newsletters } from './tables.ts';
import { confirmLinkPattern, startSmtpSink, waitFor } from './test-support.ts';

// The newsletter pages, the emails and the newsletters themselves in Welsh, over real SMTP.
describe('email updates in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, mailFrom: 'Coproduce <news@example.org>' });
  const [news, research] = await db
    .insert(newsletterTopics)
    .values([{ name: 'News and stories', translations: { cy: { name: 'Newyddion a straeon' } } }, { name: 'Research findings' }])
    .returning({ id: newsletterTopics.id })
    .then((rows) => rows.map((r) => r.id));
  const { browser: staff } = await signedInBrowser(app);
  const subscriber = async (email: string) =>
    (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)))[0]!;
  const statusOf = async (id: number) => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status;

  // Signs up on the page in `lang` and presses Confirm on the page the delivered email links to.
  async function signUp(email: string, lang: 'en' | 'cy') {
    const visitor = new Browser(app);
    await visitor.get(`/newsletter?lang=${lang}`);
    const res = await visitor.submit('/newsletter', '/newsletter', { email, topics: [String(news), String(research)] });
    expect(res.statusCode).toBe(303);
    const mail = await sink.parse(await waitFor(() => sink.to(email)[0]));
    const path = new URL(confirmLinkPattern.exec(mail.text ?? '')![0]).pathname;
    const confirmed = await visitor.submit(path, path, {});
    expect(confirmed.statusCode).toBe(303);
    return { visitor, mail, preferences: String(confirmed.headers.location) };
  }

  it('shows the sign-up form in Welsh, with Welsh topic names and the English one marked as English', async () => {
    const page = await new Browser(app).get('/newsletter?lang=cy');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain('<h1>Cael diweddariadau e-bost</h1>');
    expect(page.body).toContain('Newyddion a straeon');
    expect(page.body).toMatch(/<label[^>]*lang="en"[^>]*>\s*Research findings/);
    expect(page.body).toContain('hysbysiad preifatrwydd</a>');
    expect(page.body).toContain('href="/newsletter">Diweddariadau e-bost</a>');
  });

  it('says what is wrong in Welsh', async () => {
    const visitor = new Browser(app);
    await visitor.get('/newsletter?lang=cy');
    const bad = await visitor.submit('/newsletter', '/newsletter', { email: 'dim-cyfeiriad', topics: String(news) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mae problem');
    expect(bad.body).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com');
    expect(bad.body).toContain('<title>Gwall: Cael diweddariadau e-bost');
    const none = await visitor.submit('/newsletter', '/newsletter', { email: 'iawn@example.net' });
    expect(none.body).toContain('Dewiswch o leiaf un pwnc');
    expect(none.body).not.toContain('Choose at least one topic');
  });

  it('sends the confirmation email in Welsh to someone who signed up in Welsh, and remembers their language', async () => {
    const { visitor, mail, preferences } = await signUp('cymraeg@example.net', 'cy');
    expect(mail.subject).toBe('Cadarnhewch eich tanysgrifiad i e-byst gan Coproduce');
    expect(mail.text).toContain('am: Newyddion a straeon, Research findings.');
    expect(mail.text).toContain("Mae'r ddolen yn gweithio am 7 diwrnod.");
    expect(mail.html).toContain('<html lang="cy">');
    expect(mail.html).toContain('Cadarnhau eich tanysgrifiad');
    expect((await subscriber('cymraeg@example.net')).language).toBe('cy');

    const prefs = await visitor.get(preferences);
    expect(prefs.body).toContain('Rydych chi wedi tanysgrifio');
    expect(prefs.body).toContain('Ym mha iaith dylen ni ysgrifennu atoch chi?');
    expect(prefs.body).toMatch(/value="cy" checked/);
  });

  it('walks the check-email, confirm, unsubscribe and link-problem pages in Welsh, with no raw keys', async () => {
    const visitor = new Browser(app);
    await visitor.get('/newsletter?lang=cy');
    await visitor.submit('/newsletter', '/newsletter', { email: 'tudalennau@example.net', topics: String(news) });
    const check = await visitor.get('/newsletter/check-your-email');
    expect(check.body).toContain('<h1>Gwiriwch eich e-bost</h1>');
    expect(text(check.body)).toContain("Mae'r ddolen yn gweithio am 7 diwrnod.");
    const mail = await sink.parse(await waitFor(() => sink.to('tudalennau@example.net')[0]));
    const path = new URL(confirmLinkPattern.exec(mail.text ?? '')![0]).pathname;
    const confirm = await visitor.get(path);
    expect(confirm.body).toContain('<h1>Cadarnhau eich tanysgrifiad</h1>');
    expect(confirm.body).toMatch(/<button[^>]*>\s*Cadarnhau\s*<\/button>/);
    const prefs = String((await visitor.submit(path, path, {})).headers.location).replace(/\?.*$/, '');
    const unsubscribe = prefs.replace('/preferences/', '/unsubscribe/');
    const ask = await visitor.get(unsubscribe);
    expect(ask.body).toContain('<h1>Dad-danysgrifio o e-byst</h1>');
    const done = await visitor.post(unsubscribe, {});
    expect(done.body).toContain('Rydych chi wedi dad-danysgrifio');
    const bad = await visitor.get('/newsletter/confirm/not-a-token');
    expect(bad.statusCode).toBe(404);
    expect(text(bad.body)).toContain("Dydy'r ddolen hon ddim yn ddilys");
    for (const page of [check, confirm, ask, done, bad]) {
      expect(page.body).toContain('<html lang="cy">');
      expect(page.body).not.toMatch(/newsletters\.[a-z]+\.[a-zA-Z]/);
    }
  });

  it('lets a subscriber choose the language we write to them in on the preferences page', async () => {
    const { visitor, preferences } = await signUp('dewis@example.net', 'cy');
    const path = preferences.replace(/\?.*$/, '');
    const saved = await visitor.submit(path, path, { topics: String(news), language: 'en' });
    expect(saved.statusCode).toBe(303);
    expect((await subscriber('dewis@example.net')).language).toBe('en');
    const wrong = await visitor.submit(path, path, { topics: String(news), language: 'xx' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Dewiswch yr iaith y dylen ni ysgrifennu atoch chi ynddi');
    await visitor.submit(path, path, { topics: String(news), language: 'cy' });
    expect((await subscriber('dewis@example.net')).language).toBe('cy');
  });

  it('sends each subscriber the newsletter in their language, and shows the Welsh web version on Welsh pages', async () => {
    await signUp('saesneg@example.net', 'en');
    const composed = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', {
      subject: 'Our open day',
      body: 'Thank you for coming.',
      subject_cy: 'Ein diwrnod agored',
      body_cy: 'Diolch am ddod.',
      audience: 'all',
    });
    expect(composed.statusCode).toBe(303);
    const id = Number(/(\d+)$/.exec(String(composed.headers.location))![1]);
    expect((await staff.get(`/admin/newsletters/${id}/email.html?version=cy`)).body).toContain('Diolch am ddod.');
    const before = { cy: sink.to('cymraeg@example.net').length, en: sink.to('saesneg@example.net').length };
    expect((await staff.submit(`/admin/newsletters/${id}/send`, `/admin/newsletters/${id}/send`, {})).statusCode).toBe(303);
    await waitFor(async () => (await statusOf(id)) === 'sent');

    const welsh = await sink.parse(sink.to('cymraeg@example.net')[before.cy]!);
    expect(welsh.subject).toBe('Ein diwrnod agored');
    expect(welsh.text).toContain('Helo,');
    expect(welsh.text).toContain('Diolch am ddod.');
    expect(welsh.text).toContain('Dad-danysgrifio o bob e-bost: http://localhost:3000/newsletter/unsubscribe/');
    expect(welsh.html).toContain('<html lang="cy">');
    expect(welsh.html).not.toContain('Thank you for coming.');
    const english = await sink.parse(sink.to('saesneg@example.net')[before.en]!);
    expect(english.subject).toBe('Our open day');
    expect(english.text).toContain('Thank you for coming.');
    expect(english.text).toContain('Unsubscribe from all emails:');
    expect(english.text).not.toContain('Diolch');

    const slug = (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.slug!;
    const webCy = await new Browser(app).get(`/newsletters/${slug}?lang=cy`);
    expect(webCy.body).toContain('<h1>Ein diwrnod agored</h1>');
    expect(webCy.body).toContain('Cylchlythyr gan Coproduce');
    const webEn = await new Browser(app).get(`/newsletters/${slug}`);
    expect(webEn.body).toContain('<h1>Our open day</h1>');
  });

  it('sends the English to a Welsh subscriber when there is no Welsh version, marked as English, in a Welsh layout', async () => {
    const composed = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', {
      subject: 'English only',
      body: 'Only in English this time.',
      audience: 'all',
    });
    const id = Number(/(\d+)$/.exec(String(composed.headers.location))![1]);
    const before = sink.to('cymraeg@example.net').length;
    await staff.submit(`/admin/newsletters/${id}/send`, `/admin/newsletters/${id}/send`, {});
    await waitFor(async () => (await statusOf(id)) === 'sent');
    const welsh = await sink.parse(sink.to('cymraeg@example.net')[before]!);
    expect(welsh.subject).toBe('English only');
    expect(welsh.text).toContain('Mae hwn ar gael yn Saesneg yn unig.');
    expect(welsh.html).toContain('<h1 style="font-size:28px;line-height:1.25;margin:0 0 16px;" lang="en">English only</h1>');

    const slug = (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.slug!;
    const web = await new Browser(app).get(`/newsletters/${slug}?lang=cy`);
    expect(web.body).toContain('<h1 lang="en">English only</h1>');
    expect(web.body).toContain('Mae hwn ar gael yn Saesneg yn unig.');
  });

  it('asks staff for the Welsh subject and body together', async () => {
    const res = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', {
      subject: 'Half',
      body: 'Half a translation.',
      subject_cy: 'Hanner',
      audience: 'all',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the Welsh newsletter, or leave both Welsh fields empty');
  });

  it('shows the Welsh names staff give topics', async () => {
    const added = await staff.submit('/admin/newsletters/topics', '/admin/newsletters/topics', {
      name: 'Events',
      name_cy: 'Digwyddiadau',
    });
    expect(added.statusCode).toBe(303);
    expect((await new Browser(app).get('/newsletter?lang=cy')).body).toContain('Digwyddiadau');
    expect((await new Browser(app).get('/newsletter')).body).not.toContain('Digwyddiadau');
  });
});
