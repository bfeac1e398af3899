import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { newsletterConsentEvents, newsletterSubscriberTopics, newsletterSubscribers } from './tables.ts';
import { addTopics, confirmLinkPattern, linkInLatestEmail, subscribe } from './test-support.ts';
import { PRIVACY_NOTICE_VERSION } from './schema.ts';

describe('subscribing without an account', async () => {
  const { app, db } = await buildTestApp();
  const [news, research] = await addTopics(app, ['News and stories', 'Research findings']);
  const subscriberByEmail = async (email: string) =>
    (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)))[0];
  const eventsFor = (id: number) =>
    db.select().from(newsletterConsentEvents).where(eq(newsletterConsentEvents.subscriberId, id)).orderBy(newsletterConsentEvents.id);
  const mailCount = async () => Number((await db.select({ n: count() }).from(mailMessages))[0]!.n);

  it('links the sign-up form from every page footer and offers the topics and the privacy notice', async () => {
    const home = await app.inject('/');
    expect(home.body).toContain('href="/newsletter">Email updates</a>');
    const page = await app.inject('/newsletter');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Get email updates</h1>');
    expect(page.body).toMatch(/<label[^>]*for="email"[^>]*>\s*Email address/);
    expect(page.body).toContain('News and stories');
    expect(page.body).toContain('href="/privacy#email-updates"');
  });

  it('refuses an invalid email address or no topic, with an error summary, and stores nothing', async () => {
    const browser = new Browser(app);
    const bad = await browser.submit('/newsletter', '/newsletter', { email: 'not-an-email', topics: String(news) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#email"');
    expect(bad.body).toContain('Enter an email address in the correct format');
    const none = await browser.submit('/newsletter', '/newsletter', { email: 'ok@example.net' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose at least one topic');
    expect(none.body).toContain('value="ok@example.net"');
    const forged = await browser.submit('/newsletter', '/newsletter', { email: 'ok@example.net', topics: '999999' });
    expect(forged.statusCode).toBe(400);
    expect(await subscriberByEmail('ok@example.net')).toBeUndefined();
  });

  it('needs the Confirm button, not just the link, and records consent with the privacy notice version', async () => {
    const before = await mailCount();
    const browser = new Browser(app);
    const res = await browser.submit('/newsletter', '/newsletter', {
      email: 'Robin@Example.net',
      topics: [String(news), String(research)],
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/newsletter/check-your-email');
    expect((await browser.get('/newsletter/check-your-email')).body).toContain('Check your email');
    expect(await mailCount()).toBe(before + 1);

    const pending = (await subscriberByEmail('robin@example.net'))!;
    expect(pending.status).toBe('pending');
    expect(pending.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);

    const link = await linkInLatestEmail(app, 'robin@example.net', confirmLinkPattern);
    const path = new URL(link).pathname;
    // A link scanner opening the link changes nothing.
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<button[^>]*type="submit">\s*Confirm\s*<\/button>/);
    expect((await subscriberByEmail('robin@example.net'))!.status).toBe('pending');
    // A POST without the page's CSRF token is refused.
    expect((await new Browser(app).post(path, {})).statusCode).toBe(403);

    const confirmed = await browser.submit(path, path, {});
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toMatch(/^\/newsletter\/preferences\/\d+\.[A-Za-z0-9_-]{32}\?confirmed=1$/);
    const prefs = await browser.get(String(confirmed.headers.location));
    expect(prefs.body).toContain('You are subscribed');

    const sub = (await subscriberByEmail('robin@example.net'))!;
    expect(sub.status).toBe('active');
    expect(sub.confirmTokenHash).toBeNull();
    const topics = await db.select().from(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, sub.id));
    expect(topics.map((t) => t.topicId).sort()).toEqual([news, research].sort());
    const events = await eventsFor(sub.id);
    expect(events.map((e) => e.action)).toEqual(['subscribed', 'confirmed']);
    expect(events[1]!.topics).toEqual(['News and stories', 'Research findings']);
    expect(events[1]!.privacyNoticeVersion).toBe(PRIVACY_NOTICE_VERSION);
    expect(events[1]!.source).toBe('web-form');

    // The link is single-use: opening or pressing it again does nothing more.
    const replayGet = await browser.get(path);
    expect(replayGet.statusCode).toBe(404);
    expect(replayGet.body).toContain('This link is not valid');
    const replay = await browser.post(path, { _csrf: 'x' });
    expect([403, 404]).toContain(replay.statusCode);
    expect(await eventsFor(sub.id)).toHaveLength(2);
  });

  it('says a link has expired after 7 days and offers to sign up again', async () => {
    const browser = new Browser(app);
    await browser.submit('/newsletter', '/newsletter', { email: 'late@example.net', topics: String(news) });
    const path = new URL(await linkInLatestEmail(app, 'late@example.net', confirmLinkPattern)).pathname;
    const page = await browser.get(path);
    await db
      .update(newsletterSubscribers)
      .set({ confirmExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(newsletterSubscribers.email, 'late@example.net'));
    const expired = await browser.get(path);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(expired.body).toContain('href="/newsletter"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = await browser.post(path, { _csrf: csrf });
    expect(post.statusCode).toBe(410);
    expect((await subscriberByEmail('late@example.net'))!.status).toBe('pending');
  });

  it('treats forged and malformed confirmation links as not valid, never as a fault', async () => {
    for (const token of ['A'.repeat(32), 'short', '..%2F..', 'x'.repeat(90)]) {
      const res = await app.inject(`/newsletter/confirm/${token}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('This link is not valid');
    }
    // Far too long for any of our addresses: the router refuses it before we see it.
    const huge = await app.inject(`/newsletter/confirm/${'x'.repeat(500)}`);
    expect(huge.statusCode).toBeGreaterThanOrEqual(400);
    expect(huge.statusCode).toBeLessThan(500);
  });

  it('shows the same result for an address that is already subscribed, and tells only its owner', async () => {
    await subscribe(app, 'kim@example.net', [news]);
    const before = await mailCount();
    const browser = new Browser(app);
    const again = await browser.submit('/newsletter', '/newsletter', { email: 'kim@example.net', topics: String(research) });
    const fresh = await browser.submit('/newsletter', '/newsletter', { email: 'new-person@example.net', topics: String(research) });
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(again.headers.location).toBe(fresh.headers.location);
    expect(again.body).toBe(fresh.body);
    expect(await mailCount()).toBe(before + 2);
    const [latest] = (await db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'kim@example.net'))).sort(
      (a, b) => b.id - a.id,
    );
    expect(latest!.subject).toMatch(/already subscribed/);
    expect(latest!.textBody).toMatch(/\/newsletter\/preferences\/\d+\./);
    // Nothing changed for the subscriber: same topics, still active.
    const kim = (await subscriberByEmail('kim@example.net'))!;
    expect(kim.status).toBe('active');
    const topics = await db.select().from(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, kim.id));
    expect(topics.map((t) => t.topicId)).toEqual([news]);
    // Asking again the same day sends no second "already subscribed" email.
    await browser.submit('/newsletter', '/newsletter', { email: 'kim@example.net', topics: String(research) });
    expect(await mailCount()).toBe(before + 2);
  });

  it('does not send a second confirmation email within ten minutes, but keeps the latest choice', async () => {
    const browser = new Browser(app);
    await browser.submit('/newsletter', '/newsletter', { email: 'twice@example.net', topics: String(news) });
    const before = await mailCount();
    const res = await browser.submit('/newsletter', '/newsletter', { email: 'twice@example.net', topics: String(research) });
    expect(res.statusCode).toBe(303);
    expect(await mailCount()).toBe(before);
    expect((await subscriberByEmail('twice@example.net'))!.pendingTopicIds).toEqual([research]);
  });

  it('lets a subscriber change topics and unsubscribe from the preference page, with no password', async () => {
    const { preferencesPath } = await subscribe(app, 'lee@example.net', [news]);
    const browser = new Browser(app);
    const page = await browser.get(preferencesPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lee@example.net');
    expect(page.body).toMatch(new RegExp(`value="${news}" checked`));

    const none = await browser.submit(preferencesPath, preferencesPath, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose at least one topic, or unsubscribe from all emails');

    const saved = await browser.submit(preferencesPath, preferencesPath, { topics: String(research) });
    expect(saved.statusCode).toBe(303);
    expect((await browser.get(String(saved.headers.location))).body).toContain('Your email preferences are saved');
    const lee = (await subscriberByEmail('lee@example.net'))!;
    expect(
      (await db.select().from(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, lee.id))).map((t) => t.topicId),
    ).toEqual([research]);

    const out = await browser.submit(preferencesPath, `${preferencesPath}/unsubscribe`, {});
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('You have unsubscribed');
    expect((await subscriberByEmail('lee@example.net'))!.status).toBe('unsubscribed');
    expect((await eventsFor(lee.id)).map((e) => e.action)).toEqual(['subscribed', 'confirmed', 'topics-changed', 'unsubscribed']);

    // Choosing topics again from the same link subscribes them again (the link came by email).
    const back = await browser.submit(preferencesPath, preferencesPath, { topics: String(news) });
    expect(back.statusCode).toBe(303);
    expect((await subscriberByEmail('lee@example.net'))!.status).toBe('active');
  });

  it('refuses forged preference tokens without changing anything', async () => {
    const { preferencesPath } = await subscribe(app, 'sam@example.net', [news]);
    const id = /preferences\/(\d+)\./.exec(preferencesPath)![1]!;
    for (const token of [`${id}.${'A'.repeat(32)}`, `${Number(id) + 1}.${preferencesPath.split('.')[1]}`, 'nonsense', '0.x']) {
      expect((await app.inject(`/newsletter/preferences/${token}`)).statusCode).toBe(404);
      const post = await app.inject({
        method: 'POST',
        url: `/newsletter/unsubscribe/${token}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(post.statusCode).toBe(404);
    }
    expect((await subscriberByEmail('sam@example.net'))!.status).toBe('active');
  });

  it('unsubscribes at once on an RFC 8058 one-click POST: no cookie, no CSRF token, 200, and sets no cookie', async () => {
    const { preferencesPath } = await subscribe(app, 'one@example.net', [news]);
    const token = preferencesPath.split('/').pop()!;
    const page = await app.inject(`/newsletter/unsubscribe/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<button[^>]*>\s*Unsubscribe\s*<\/button>/);

    const res = await app.inject({
      method: 'POST',
      url: `/newsletter/unsubscribe/${token}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const sub = (await subscriberByEmail('one@example.net'))!;
    expect(sub.status).toBe('unsubscribed');
    const events = await eventsFor(sub.id);
    expect(events.at(-1)!.action).toBe('unsubscribed');
    expect(events.at(-1)!.source).toBe('one-click');
    // Some providers post multipart/form-data; a repeat changes nothing and still answers 200.
    const boundary = 'x1y2';
    const again = await app.inject({
      method: 'POST',
      url: `/newsletter/unsubscribe/${token}`,
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(again.statusCode).toBe(200);
    expect(await eventsFor(sub.id)).toHaveLength(events.length);
  });

  it('records an unsubscribe made with the button on the unsubscribe page as coming from that page', async () => {
    const { preferencesPath } = await subscribe(app, 'button@example.net', [news]);
    const token = preferencesPath.split('/').pop()!;
    const res = await new Browser(app).submit(`/newsletter/unsubscribe/${token}`, `/newsletter/unsubscribe/${token}`, {});
    expect(res.statusCode).toBe(200);
    const sub = (await subscriberByEmail('button@example.net'))!;
    expect(sub.status).toBe('unsubscribed');
    expect((await eventsFor(sub.id)).at(-1)).toMatchObject({ action: 'unsubscribed', source: 'unsubscribe-page' });
  });

  it('clears out sign-ups nobody confirmed, once their link is long expired', async () => {
    const browser = new Browser(app);
    await browser.submit('/newsletter', '/newsletter', { email: 'ghost@example.net', topics: String(news) });
    const ghost = (await subscriberByEmail('ghost@example.net'))!;
    await db
      .update(newsletterSubscribers)
      .set({ confirmExpiresAt: new Date(Date.now() - 31 * 86_400_000) })
      .where(eq(newsletterSubscribers.id, ghost.id));
    expect(await app.services.newsletters.subscribers.purgeUnconfirmed()).toBeGreaterThanOrEqual(1);
    expect(await subscriberByEmail('ghost@example.net')).toBeUndefined();
    expect((await subscriberByEmail('kim@example.net'))?.status).toBe('active');
  });
});

describe('the sign-up form is rate-limited per address', async () => {
  const { app } = await buildTestApp();
  const [topic] = await addTopics(app, ['News']);
  it('turns away the 21st sign-up from one address within ten minutes', async () => {
    const browser = new Browser(app);
    const page = await browser.get('/newsletter');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    for (let i = 0; i < 20; i++) {
      const res = await browser.post('/newsletter', { _csrf: csrf, email: `p${i}@example.net`, topics: String(topic) });
      expect(res.statusCode).toBe(303);
    }
    const limited = await browser.post('/newsletter', { _csrf: csrf, email: 'p21@example.net', topics: String(topic) });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many attempts');
  });
});

describe('bounce and complaint webhook', async () => {
  const secret = 'bounce-secret-0123456789abcdef';
  const { app, db } = await buildTestApp({ bounceWebhookSecret: secret });
  const [topic] = await addTopics(app, ['News']);
  await subscribe(app, 'bouncy@example.net', [topic]);
  await subscribe(app, 'cross@example.net', [topic]);
  const post = (body: unknown, auth?: string) =>
    app.inject({
      method: 'POST',
      url: '/newsletter/bounces',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    });
  const statusOf = async (email: string) =>
    (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)))[0]!.status;

  it('needs the bearer token, checks the body, and stops sending to the address', async () => {
    expect((await post({ email: 'bouncy@example.net', type: 'bounce' })).statusCode).toBe(401);
    expect((await post({ email: 'bouncy@example.net', type: 'bounce' }, 'Bearer wrong-secret-wrong-secret')).statusCode).toBe(401);
    expect((await post({ email: 'bouncy@example.net', type: 'explode' }, `Bearer ${secret}`)).statusCode).toBe(400);
    expect((await post('nonsense', `Bearer ${secret}`)).statusCode).toBe(400);
    expect(await statusOf('bouncy@example.net')).toBe('active');

    const ok = await post({ email: 'Bouncy@example.net', type: 'bounce' }, `Bearer ${secret}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ result: 'changed' });
    expect(await statusOf('bouncy@example.net')).toBe('bounced');
    const complaint = await post({ email: 'cross@example.net', type: 'complaint' }, `Bearer ${secret}`);
    expect(complaint.json()).toEqual({ result: 'changed' });
    expect(await statusOf('cross@example.net')).toBe('complained');
    const [sub] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'cross@example.net'));
    const events = await db.select().from(newsletterConsentEvents).where(eq(newsletterConsentEvents.subscriberId, sub!.id));
    expect(events.at(-1)).toMatchObject({ action: 'complained', source: 'bounce-webhook' });
    expect((await post({ email: 'nobody@example.net', type: 'bounce' }, `Bearer ${secret}`)).json()).toEqual({ result: 'unknown-address' });
  });
});

describe('bounce webhook without a secret configured', async () => {
  const { app } = await buildTestApp();
  it('does not exist', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/newsletter/bounces',
      payload: '{}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('the privacy notice', async () => {
  const { app } = await buildTestApp();
  it('explains email updates and states the version consent is recorded against', async () => {
    const page = await app.inject('/privacy');
    expect(page.body).toContain('id="email-updates"');
    expect(page.body).toContain(`version ${PRIVACY_NOTICE_VERSION}`);
  });
});
