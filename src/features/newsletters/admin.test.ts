import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { newsletterConsentEvents, newsletterSubscribers, newsletterTopics, newsletters } from './tables.ts';
import { addTopics, confirmLinkPattern, linkInLatestEmail, waitFor } from './test-support.ts';
import { devOutbox } from '#src/platform/mail/tables.ts';

describe('staff pages for newsletters', async () => {
  const { app, db } = await buildTestApp();
  const [news] = await addTopics(app, ['News and stories']);
  const { browser: staff } = await signedInBrowser(app);
  const newsletterCount = async () => Number((await db.select({ n: count() }).from(newsletters))[0]!.n);

  it('are for staff only', async () => {
    const anon = new Browser(app);
    for (const path of [
      '/admin/newsletters',
      '/admin/newsletters/new',
      '/admin/newsletters/subscribers',
      '/admin/newsletters/topics',
      '/admin/newsletters/subscribers/export.csv',
      '/admin/newsletters/subscribers/import',
    ]) {
      const res = await anon.get(path);
      expect(res.statusCode, path).toBe(302);
      expect(res.headers.location).toMatch(/^\/sign-in/);
    }
    const admin = await staff.get('/admin');
    expect(admin.body).toContain('href="/admin/newsletters"');
  });

  it('check the newsletter form and say what is wrong, saving nothing', async () => {
    const before = await newsletterCount();
    const empty = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', { subject: '', body: '', audience: 'all' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#subject"');
    expect(empty.body).toContain('Enter a subject');
    expect(empty.body).toContain('Enter the newsletter');
    const noTopic = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', {
      subject: 'Hi',
      body: 'Text',
      audience: 'topics',
    });
    expect(noTopic.statusCode).toBe(400);
    expect(noTopic.body).toContain('Choose at least one topic');
    const noAudience = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', { subject: 'Hi', body: 'Text' });
    expect(noAudience.statusCode).toBe(400);
    expect(noAudience.body).toContain('Choose who to send it to');
    expect(await newsletterCount()).toBe(before);
  });

  it('say there is nobody to send to, and refuse to send, when no one has chosen the topics', async () => {
    const res = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', {
      subject: 'Empty',
      body: 'Text',
      audience: 'topics',
      topics: String(news),
    });
    const id = Number(/(\d+)$/.exec(String(res.headers.location))![1]);
    const confirm = await staff.get(`/admin/newsletters/${id}/send`);
    expect(confirm.body).toContain('There is nobody to send this newsletter to');
    expect(confirm.body).not.toContain('Yes, send it');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await staff.get(`/admin/newsletters/${id}`)).body)![1]!;
    const sent = await staff.post(`/admin/newsletters/${id}/send`, { _csrf: csrf });
    expect(sent.statusCode).toBe(409);
    expect((await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status).toBe('draft');
    // A draft can still be edited; the edit form shows what was saved.
    const edit = await staff.get(`/admin/newsletters/${id}/edit`);
    expect(edit.body).toContain('value="Empty"');
    const saved = await staff.submit(`/admin/newsletters/${id}/edit`, `/admin/newsletters/${id}/edit`, {
      subject: 'Renamed',
      body: 'Text',
      audience: 'all',
    });
    expect(saved.statusCode).toBe(303);
    expect((await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.subject).toBe('Renamed');
  });

  it('refuse to change a newsletter once it has been sent', async () => {
    const [n] = await db.insert(newsletters).values({ subject: 'Gone', body: 'x', status: 'sent', slug: 'gone' }).returning();
    expect((await staff.get(`/admin/newsletters/${n!.id}/edit`)).statusCode).toBe(409);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await staff.get('/admin/newsletters/new')).body)![1]!;
    const post = await staff.post(`/admin/newsletters/${n!.id}/edit`, { _csrf: csrf, subject: 'Changed', body: 'y', audience: 'all' });
    expect(post.statusCode).toBe(409);
    expect((await db.select().from(newsletters).where(eq(newsletters.id, n!.id)))[0]!.subject).toBe('Gone');
    expect((await staff.post('/admin/newsletters/999999/pause', { _csrf: csrf })).statusCode).toBe(404);
  });

  it('let staff add, rename and archive topics; archived topics leave the sign-up form', async () => {
    const added = await staff.submit('/admin/newsletters/topics', '/admin/newsletters/topics', { name: 'Events' });
    expect(added.statusCode).toBe(303);
    const dup = await staff.submit('/admin/newsletters/topics', '/admin/newsletters/topics', { name: 'events' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('There is already a topic with that name');
    const blank = await staff.submit('/admin/newsletters/topics', '/admin/newsletters/topics', { name: '' });
    expect(blank.body).toContain('Enter a topic name');
    const [events] = await db.select().from(newsletterTopics).where(eq(newsletterTopics.name, 'Events'));
    const renamed = await staff.submit('/admin/newsletters/topics', `/admin/newsletters/topics/${events!.id}`, {
      name: 'Events and meetings',
    });
    expect(renamed.statusCode).toBe(303);
    expect((await app.inject('/newsletter')).body).toContain('Events and meetings');
    const archived = await staff.submit('/admin/newsletters/topics', `/admin/newsletters/topics/${events!.id}/archive`, {});
    expect(archived.statusCode).toBe(303);
    expect((await app.inject('/newsletter')).body).not.toContain('Events and meetings');
    const page = await staff.get('/admin/newsletters/topics');
    expect(page.body).toContain('Archived');
    expect(page.body).toContain('Offer it again');
    expect((await staff.submit('/admin/newsletters/topics', '/admin/newsletters/topics/999999/archive', {})).statusCode).toBe(404);
  });

  it('list, search and filter subscribers, and record a bounce in the consent history', async () => {
    await app.services.newsletters.admin.importCsv(
      'email,name,topics,consented_at,source\nalex@example.net,Alex Smith,News and stories,2026-02-01,Event\nbea@example.net,Bea Jones,News and stories,2026-02-01,Event\n',
      { filename: 'x.csv', staffUserId: null },
    );
    const list = await staff.get('/admin/newsletters/subscribers');
    expect(list.body).toContain('alex@example.net');
    expect(list.body).toContain('bea@example.net');
    const search = await staff.get('/admin/newsletters/subscribers?q=smith');
    expect(search.body).toContain('alex@example.net');
    expect(search.body).not.toContain('bea@example.net');
    expect((await staff.get('/admin/newsletters/subscribers?status=nonsense')).statusCode).toBe(404);
    expect((await staff.get('/admin/newsletters/subscribers?page=99')).statusCode).toBe(404);

    const [bea] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'bea@example.net'));
    const detail = await staff.get(`/admin/newsletters/subscribers/${bea!.id}`);
    expect(detail.body).toContain('Consent history');
    expect(detail.body).toContain('Imported');
    const none = await staff.submit(`/admin/newsletters/subscribers/${bea!.id}`, `/admin/newsletters/subscribers/${bea!.id}/mark`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose what happened');
    const marked = await staff.submit(`/admin/newsletters/subscribers/${bea!.id}`, `/admin/newsletters/subscribers/${bea!.id}/mark`, {
      type: 'bounced',
    });
    expect(marked.statusCode).toBe(303);
    expect((await staff.get(String(marked.headers.location))).body).toContain('We will not send newsletters to this address');
    const events = await db
      .select()
      .from(newsletterConsentEvents)
      .where(eq(newsletterConsentEvents.subscriberId, bea!.id))
      .orderBy(newsletterConsentEvents.id);
    expect(events.map((e) => e.action)).toEqual(['imported', 'bounced']);
    expect(events[1]!.source).toBe('staff');
    expect(events[1]!.staffUserId).toBeTruthy();
    const bounced = await staff.get('/admin/newsletters/subscribers?status=bounced');
    expect(bounced.body).toContain('bea@example.net');
    expect(bounced.body).not.toContain('alex@example.net');
    expect((await staff.get('/admin/newsletters/subscribers/999999')).statusCode).toBe(404);
  });
});

describe('every newsletter page', async () => {
  const { app, db } = await buildTestApp();
  const [news] = await addTopics(app, ['News and stories']);
  const { browser: staff } = await signedInBrowser(app);
  const visitor = new Browser(app);
  await visitor.submit('/newsletter', '/newsletter', { email: 'pages@example.net', topics: String(news) });
  const confirmPath = new URL(await linkInLatestEmail(app, 'pages@example.net', confirmLinkPattern)).pathname;
  const confirmPage = await visitor.get(confirmPath);
  const preferences = String((await visitor.submit(confirmPath, confirmPath, {})).headers.location).replace(/\?.*$/, '');
  const token = preferences.split('/').pop()!;
  const draftId = await app.services.newsletters.campaigns.create({ subject: 'Draft one', body: 'Hello', topicIds: [] }, null);
  const sentId = await app.services.newsletters.campaigns.create({ subject: 'Sent one', body: 'Hello', topicIds: [] }, null);
  await app.services.newsletters.campaigns.send(sentId, null);
  const imported = await app.services.newsletters.admin.importCsv('email,topics,consented_at,source\nbad,News and stories,2026-01-01,x\n', {
    filename: 'r.csv',
    staffUserId: null,
  });
  const [sub] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'pages@example.net'));

  it('has one h1, a title, and nothing left undefined', async () => {
    const pages: [Browser, string][] = [
      [visitor, '/newsletter'],
      [visitor, '/newsletter/check-your-email'],
      [visitor, `/newsletter/preferences/${token}`],
      [visitor, `/newsletter/unsubscribe/${token}`],
      [visitor, '/newsletter/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      [visitor, '/newsletters/sent-one'],
      [staff, '/admin/newsletters'],
      [staff, '/admin/newsletters/new'],
      [staff, `/admin/newsletters/${draftId}`],
      [staff, `/admin/newsletters/${draftId}/edit`],
      [staff, `/admin/newsletters/${draftId}/send`],
      [staff, `/admin/newsletters/${sentId}`],
      [staff, '/admin/newsletters/subscribers'],
      [staff, `/admin/newsletters/subscribers/${sub!.id}`],
      [staff, '/admin/newsletters/subscribers/import'],
      [staff, `/admin/newsletters/imports/${imported.ok ? imported.importId : 0}`],
      [staff, '/admin/newsletters/topics'],
    ];
    const bodies = [confirmPage.body];
    for (const [who, path] of pages) {
      const res = await who.get(path);
      expect(res.statusCode, path).toBeLessThan(500);
      bodies.push(res.body);
    }
    for (const [i, body] of bodies.entries()) {
      const where = i === 0 ? confirmPath : pages[i - 1]![1];
      expect(body.match(/<h1[\s>]/g)?.length ?? 0, where).toBe(1);
      expect(body, where).toMatch(/<title>[^<]+ – Coproduce<\/title>/);
      // Random tokens (CSRF, signed links) can spell anything, "NaN" included: leave them out.
      const text = body.replace(/value="[A-Za-z0-9_.-]{20,}"/g, 'value=""').replace(/\/[A-Za-z0-9_.-]{20,}/g, '/');
      expect(text, where).not.toMatch(/>\s*undefined\s*<|\[object Object\]|NaN/);
    }
  });
});

describe('without SMTP_URL', async () => {
  const { app, db } = await buildTestApp();
  await addTopics(app, ['News']);
  await app.services.newsletters.admin.importCsv('email,name,topics,consented_at,source\nout@example.net,Olu,News,2026-01-01,Event\n', {
    filename: 'o.csv',
    staffUserId: null,
  });
  it('puts each newsletter message in the development outbox, with its headers', async () => {
    const id = await app.services.newsletters.campaigns.create({ subject: 'To the outbox', body: 'Hi', topicIds: [] }, null);
    await app.services.newsletters.campaigns.send(id, null);
    const row = await waitFor(async () => (await db.select().from(devOutbox).where(eq(devOutbox.toAddress, 'out@example.net')))[0]);
    expect(row.subject).toBe('To the outbox');
    expect(row.textBody).toContain('Hello Olu,');
    expect(row.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(row.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/newsletter\/unsubscribe\//);
    expect(row.headers['Message-ID']).toMatch(/^<newsletter-\d+-\d+@localhost>$/);
    await waitFor(async () => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status === 'sent');
  });
});
