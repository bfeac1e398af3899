import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { newsletterRecipients, newsletters } from './tables.ts';
import { addTopics, confirmLinkPattern, startSmtpSink, waitFor } from './test-support.ts';

const body =
  '## What we heard\n\nThank you to everyone who came to the open day.\n\n* Travel costs are now paid in advance\n* [Read the report](https://example.org/report)';

describe('a newsletter from sign-up to one-click unsubscribe, over real SMTP', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, mailFrom: 'Coproduce <news@example.org>' });
  const [news, research] = await addTopics(app, ['News and stories', 'Research findings']);
  const { browser: staff, staff: me } = await signedInBrowser(app);

  const statusOf = async (id: number) => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status;
  const compose = async (subject: string, audience: Record<string, string | string[]>) => {
    const res = await staff.submit('/admin/newsletters/new', '/admin/newsletters/new', { subject, body, ...audience });
    expect(res.statusCode).toBe(303);
    return Number(/\/admin\/newsletters\/(\d+)$/.exec(String(res.headers.location))![1]);
  };
  const send = async (id: number) => staff.submit(`/admin/newsletters/${id}/send`, `/admin/newsletters/${id}/send`, {});

  let firstId = 0;
  let unsubscribeUrl = '';

  it('confirms a subscription from the email that was actually delivered', async () => {
    const visitor = new Browser(app);
    await visitor.submit('/newsletter', '/newsletter', { email: 'reader@example.net', topics: String(news) });
    const mail = await waitFor(() => sink.to('reader@example.net')[0]);
    const parsed = await sink.parse(mail);
    expect(parsed.subject).toMatch(/^Confirm your subscription/);
    const link = confirmLinkPattern.exec(parsed.text ?? '')![0];
    const path = new URL(link).pathname;
    expect((await visitor.submit(path, path, {})).statusCode).toBe(303);
    // Two more people: one imported with a name, one who chose only the other topic.
    const imported = await app.services.newsletters.admin.importCsv(
      'email,name,topics,consented_at,source\nada@example.net,Ada Lovelace,News and stories,2026-01-10,Paper form\nres@example.net,,Research findings,2026-01-10,Paper form\n',
      { filename: 'people.csv', staffUserId: null },
    );
    expect(imported.ok).toBe(true);
  });

  it('previews the HTML and text versions and sends a test to the member of staff', async () => {
    firstId = await compose('Open day: what we heard', { audience: 'topics', topics: String(news) });
    const draft = await staff.get(`/admin/newsletters/${firstId}`);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('<iframe');
    expect(draft.body).toContain('Thank you to everyone who came to the open day.');
    expect(draft.body).toContain('Read the report (https://example.org/report)');
    const html = await staff.get(`/admin/newsletters/${firstId}/email.html`);
    expect(html.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(html.body).toContain('<h2 style=');
    expect(html.body).toContain('Hello,');

    const tested = await staff.submit(`/admin/newsletters/${firstId}`, `/admin/newsletters/${firstId}/test`, {});
    expect(tested.statusCode).toBe(303);
    expect((await staff.get(String(tested.headers.location))).body).toContain(`A test has been sent to ${me.email}`);
    const test = await sink.parse(await waitFor(() => sink.to(me.email)[0]));
    expect(test.subject).toBe('[Test] Open day: what we heard');
    expect(test.text).toContain('Hello Test staff,');
    expect(await statusOf(firstId)).toBe('draft');
  });

  it('asks for confirmation with the number of recipients, then sends each person their own copy', async () => {
    const confirm = await staff.get(`/admin/newsletters/${firstId}/send`);
    expect(confirm.body).toContain('Are you sure you want to send this newsletter?');
    expect(confirm.body).toMatch(/Yes, send it to 2 people/);
    expect((await send(firstId)).statusCode).toBe(303);
    await waitFor(async () => (await statusOf(firstId)) === 'sent');

    const [toReader, toAda] = [sink.to('reader@example.net').slice(1), sink.to('ada@example.net')];
    expect(toReader).toHaveLength(1);
    expect(toAda).toHaveLength(1);
    expect(sink.to('res@example.net')).toHaveLength(0);
    const reader = await sink.parse(toReader[0]!);
    const ada = await sink.parse(toAda[0]!);
    expect(reader.subject).toBe('Open day: what we heard');
    expect(reader.text).toContain('Hello,');
    expect(ada.text).toContain('Hello Ada Lovelace,');
    expect(ada.html).toContain('Hello Ada Lovelace,');
    expect(ada.html).toContain('<h2 style=');
    expect(reader.from?.value[0]?.address).toBe('news@example.org');

    const headers = toReader[0]!.raw.split('\r\n\r\n')[0]!.replace(/\r\n\s+/g, ' ');
    const listUnsubscribe = /^List-Unsubscribe: (.*)$/m.exec(headers)![1]!;
    expect(listUnsubscribe).toMatch(
      /^<http:\/\/localhost:3000\/newsletter\/unsubscribe\/\d+\.[A-Za-z0-9_-]{32}>, <mailto:news@example\.org\?subject=unsubscribe%20[^>]+>$/,
    );
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const [reached] = await db.select().from(newsletterRecipients).where(eq(newsletterRecipients.email, 'reader@example.net'));
    expect(toReader[0]!.messageId).toBe(`<newsletter-${firstId}-${reached!.subscriberId}@localhost>`);
    // Each person's links are their own.
    expect(ada.text).not.toContain(/unsubscribe\/(\d+\.[^>\s]+)/.exec(listUnsubscribe)![1]);
    unsubscribeUrl = /<(http[^>]+)>/.exec(listUnsubscribe)![1]!;

    const progress = await staff.get(`/admin/newsletters/${firstId}`);
    expect(progress.body).toContain('2 of 2 emails handled (100%)');
    expect(progress.body).toMatch(/<progress[^>]*max="2"[^>]*value="2"/);
  });

  it('refuses to send the same newsletter twice, and sends nothing more', async () => {
    const before = sink.delivered.length;
    const again = await staff.post(`/admin/newsletters/${firstId}/send`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await staff.get('/admin/newsletters/new')).body)![1]!,
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This newsletter has already been sent');
    expect((await staff.get(`/admin/newsletters/${firstId}/send`)).statusCode).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.length).toBe(before);
  });

  it('has a web version once sent, and none for drafts or unknown newsletters', async () => {
    const [n] = await db.select().from(newsletters).where(eq(newsletters.id, firstId));
    const page = await app.inject(`/newsletters/${n!.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Open day: what we heard</h1>');
    const byId = await app.inject(`/newsletters/${firstId}`);
    expect(byId.statusCode).toBe(301);
    expect(byId.headers.location).toBe(`/newsletters/${n!.slug}`);
    const draftId = await compose('Not yet', { audience: 'all' });
    expect((await app.inject(`/newsletters/${draftId}`)).statusCode).toBe(404);
    expect((await app.inject('/newsletters/no-such-thing')).statusCode).toBe(404);
    expect((await staff.get('/admin/newsletters/999999')).statusCode).toBe(404);
    expect((await staff.get('/admin/newsletters/abc')).statusCode).toBe(404);
  });

  it('unsubscribes with an RFC 8058 POST to the List-Unsubscribe address, so the next newsletter does not arrive', async () => {
    const res = await app.inject({
      method: 'POST',
      url: new URL(unsubscribeUrl).pathname,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();

    const secondId = await compose('Second newsletter', { audience: 'topics', topics: [String(news), String(research)] });
    expect((await send(secondId)).statusCode).toBe(303);
    await waitFor(async () => (await statusOf(secondId)) === 'sent');
    const subjects = async (to: string) => Promise.all(sink.to(to).map(async (m) => (await sink.parse(m)).subject));
    expect(await subjects('reader@example.net')).not.toContain('Second newsletter');
    expect(await subjects('ada@example.net')).toContain('Second newsletter');
    expect(await subjects('res@example.net')).toEqual(['Second newsletter']);
  });
});

describe('a send that is paused and resumed', async () => {
  const sink = await startSmtpSink({ delayMs: 15 });
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const [topic] = await addTopics(app, ['News']);
  const { browser: staff } = await signedInBrowser(app);
  const people = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}@example.net`);
  await app.services.newsletters.admin.importCsv(
    `email,topics,consented_at,source\n${people.map((p) => `${p},News,2026-01-01,Event`).join('\n')}\n`,
    { filename: 'p.csv', staffUserId: null },
  );
  app.services.newsletters.sender.tune({ rate: 40, concurrency: 2 });

  it('stops handing out messages while paused, skips people who bounce meanwhile, and finishes on resume with no repeats', async () => {
    const id = await app.services.newsletters.campaigns.create({ subject: 'Slow one', body: 'Hello there', topicIds: [topic] }, null);
    expect(await app.services.newsletters.campaigns.send(id, null)).toEqual({ kind: 'started', recipients: 40 });
    await waitFor(() => sink.delivered.length >= 5);

    const sending = await staff.get(`/admin/newsletters/${id}`);
    expect(sending.body).toContain('data-refresh-seconds="3"');
    expect(sending.body).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    // People can stop the page updating itself (WCAG 2.2.1, 2.2.2), and still refresh by hand.
    expect(sending.body).toContain(`href="/admin/newsletters/${id}?refresh=off">Stop updating this page`);
    const still = await staff.get(`/admin/newsletters/${id}?refresh=off`);
    expect(still.body).not.toContain('data-refresh-seconds');
    expect(still.body).not.toContain('http-equiv="refresh"');
    expect(still.body).toMatch(new RegExp(`href="/admin/newsletters/${id}\\?refresh=off">Refresh`));
    expect(still.body).toContain(`href="/admin/newsletters/${id}">Update it automatically again`);
    const paused = await staff.submit(`/admin/newsletters/${id}`, `/admin/newsletters/${id}/pause`, {});
    expect(paused.statusCode).toBe(303);
    await waitFor(() => !app.services.newsletters.sender.isRunning(id));
    const atPause = sink.delivered.length;
    expect(atPause).toBeLessThan(40);
    await new Promise((r) => setTimeout(r, 400));
    expect(sink.delivered.length).toBe(atPause);
    const page = await staff.get(`/admin/newsletters/${id}`);
    expect(page.body).toContain('Sending is paused.');
    expect(page.body).toContain('Resume sending');
    expect(page.body).not.toContain('data-refresh-seconds');

    // Someone not yet sent to bounces while the send is paused.
    await app.services.newsletters.subscribers.markByEmail('p39@example.net', 'bounced', { source: 'test' });
    const resumed = await staff.submit(`/admin/newsletters/${id}`, `/admin/newsletters/${id}/resume`, {});
    expect(resumed.statusCode).toBe(303);
    await waitFor(async () => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status === 'sent');
    const ids = sink.delivered.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sink.delivered.flatMap((m) => m.to).sort()).toEqual(people.slice(0, 39));
    const progress = await app.services.newsletters.campaigns.progress(id);
    expect(progress).toMatchObject({ sent: 39, skipped: 1, failed: 0, pending: 0 });
  });
});

describe('a send the SMTP server pushes back on', async () => {
  const sink = await startSmtpSink({ tempFailFirst: 2, reject: ['nope@example.net'] });
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await addTopics(app, ['News']);
  const { browser: staff } = await signedInBrowser(app);
  const people = ['a@example.net', 'b@example.net', 'nope@example.net', 'c@example.net'];
  await app.services.newsletters.admin.importCsv(
    `email,topics,consented_at,source\n${people.map((p) => `${p},News,2026-01-01,Event`).join('\n')}\n`,
    { filename: 'p.csv', staffUserId: null },
  );
  app.services.newsletters.sender.tune({ retryBaseMs: 50, concurrency: 1 });

  it('tries "try later" answers again, marks refusals failed with the reason, and shows them to staff', async () => {
    const id = await app.services.newsletters.campaigns.create({ subject: 'Retry', body: 'Hi', topicIds: [] }, null);
    await app.services.newsletters.campaigns.send(id, null);
    await waitFor(async () => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status === 'sent');
    expect(sink.delivered.flatMap((m) => m.to).sort()).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
    const rows = await db.select().from(newsletterRecipients).where(eq(newsletterRecipients.newsletterId, id));
    const nope = rows.find((r) => r.email === 'nope@example.net')!;
    expect(nope.status).toBe('failed');
    expect(nope.lastError).toMatch(/Mailbox unavailable/);
    expect(rows.filter((r) => r.status === 'sent' && r.attempts > 0)).toHaveLength(2);
    const page = await staff.get(`/admin/newsletters/${id}`);
    expect(page.body).toContain('Problems sending');
    expect(page.body).toContain('nope@example.net');
  });
});
