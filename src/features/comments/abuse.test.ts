import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { commentReports } from './tables.ts';
import { commentTestKit } from './test-support.ts';

// trustProxy lets each test speak from its own IP address (X-Forwarded-For), as behind a proxy.
const { app, db, services } = await buildTestApp({ trustProxy: true });
const { nextIp, valid, rowsFor, send, addComment } = commentTestKit(app, services, db, '10.3');

describe('spam and abuse', () => {
  const calm = (body: string) => {
    expect(body).toContain('We could not accept your comment');
    expect(body).toContain('try again in a few minutes');
    expect(body).not.toMatch(/at .*\.ts:\d+/);
  };

  it('turns away a filled honeypot and a missing or forged stamp, storing nothing', async () => {
    const story = await createStory(db);
    const attempts = [
      () => send(story, { website: 'http://cheap.example' }),
      () => send(story, { stamp: '' }),
      () => send(story, { stamp: 'v1.zzzz.forged' }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.statusCode).toBe(400);
      calm(res.body);
    }
    expect(await rowsFor(story.id)).toBe(0);
  });

  it('gives a form sent too fast back as typed, asking to check it and send again; sent again later, it is accepted', async () => {
    const story = await createStory(db);
    const browser = new Browser(app);
    const ip = { 'x-forwarded-for': nextIp() };
    // The page's own, fresh stamp: sent well under 3 seconds after the form was shown.
    const fast = await browser.submit(
      `/stories/${story.slug}/comments/new`,
      `/stories/${story.slug}/comments`,
      { ...valid(), comment: 'My quick <first> thought' },
      ip,
    );
    expect(fast.statusCode).toBe(400);
    expect(fast.body).toContain('Check your answers and send again');
    expect(fast.body).not.toContain('try again in a few minutes');
    expect(fast.body).toContain('My quick &lt;first&gt; thought');
    expect(await rowsFor(story.id)).toBe(0);
    // The page it gave back carries a new stamp: once the minimum fill time has passed, it is accepted.
    const stamp = /name="stamp" value="([^"]+)"/.exec(fast.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(fast.body)![1]!;
    services.comments.policy.minFillMs = 0;
    try {
      const again = await browser.post(
        `/stories/${story.slug}/comments`,
        { ...{ ...valid(), comment: 'My quick <first> thought' }, stamp, _csrf: csrf },
        ip,
      );
      expect(again.statusCode).toBe(303);
    } finally {
      services.comments.policy.minFillMs = 3000;
    }
    expect(await rowsFor(story.id)).toBe(1);
  });

  it('says the same in Welsh', async () => {
    const story = await createStory(db);
    const browser = new Browser(app);
    await browser.get('/?lang=cy');
    const fast = await browser.submit(`/stories/${story.slug}/comments/new`, `/stories/${story.slug}/comments`, valid(), {
      'x-forwarded-for': nextIp(),
    });
    expect(fast.statusCode).toBe(400);
    expect(fast.body).toContain('Gwiriwch eich atebion ac anfonwch eto');
  });

  it('limits an IP address to 5 comments in 10 minutes, keeping what was written', async () => {
    const story = await createStory(db);
    for (let i = 0; i < 5; i++) expect((await send(story, {}, { ip: '198.51.100.200' })).statusCode).toBe(303);
    const res = await send(story, { comment: 'My <sixth> comment' }, { ip: '198.51.100.200' });
    expect(res.statusCode).toBe(429);
    calm(res.body);
    expect(res.body).toContain('My &lt;sixth&gt; comment');
    expect(await rowsFor(story.id)).toBe(5);
  });

  it('refuses a blocked sender without saying so', async () => {
    const story = await createStory(db);
    await services.comments.addBlock({ kind: 'ip', value: '203.0.113.66' }, null);
    const res = await send(story, {}, { ip: '203.0.113.66' });
    expect(res.statusCode).toBe(400);
    calm(res.body);
    expect(res.body).not.toMatch(/blocked/i);
    expect(await rowsFor(story.id)).toBe(0);
  });
});

describe('reporting a comment', () => {
  const reports = async (commentId: number) => db.select().from(commentReports).where(eq(commentReports.commentId, commentId));

  it('takes a reason and optional details, then thanks the person', async () => {
    const story = await createStory(db);
    const comment = await addComment(story.id, { body: 'Rude words' });
    const browser = new Browser(app);
    const page = await browser.get(`/comments/${comment.id}/report`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      'Report a comment',
      'Why are you reporting this comment?',
      'Spam',
      'Abusive or offensive',
      'Shares someone&#39;s personal information',
      'Something else',
      'Tell us more (optional)',
      'Rude words',
    ]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).not.toContain('ada.secret@example.org');
    const res = await browser.submit(
      `/comments/${comment.id}/report`,
      `/comments/${comment.id}/report`,
      { reason: 'abusive', details: 'Name-calling' },
      { 'x-forwarded-for': '192.0.2.7' },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/comments/${comment.id}/report/thanks`);
    const thanks = await app.inject(res.headers.location!);
    expect(thanks.body).toContain('Thank you for your report');
    expect(await reports(comment.id)).toMatchObject([
      { reason: 'abusive', details: 'Name-calling', ipAddress: '192.0.2.7', resolvedAt: null },
    ]);
  });

  it('asks for a reason, and for details when the reason is something else', async () => {
    const story = await createStory(db);
    const comment = await addComment(story.id);
    const url = `/comments/${comment.id}/report`;
    const none = await new Browser(app).submit(url, url, {}, { 'x-forwarded-for': nextIp() });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select why you are reporting this comment');
    expect(none.body).toContain('href="#reason"');
    const other = await new Browser(app).submit(url, url, { reason: 'other' }, { 'x-forwarded-for': nextIp() });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('Tell us what is wrong with this comment');
    expect(await reports(comment.id)).toHaveLength(0);
  });

  it('only lets approved comments be reported', async () => {
    const story = await createStory(db);
    const pending = await addComment(story.id, { status: 'pending' });
    for (const url of [
      `/comments/${pending.id}/report`,
      '/comments/99999999/report',
      '/comments/abc/report',
      '/comments/99999999999/report',
    ]) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });

  it('limits reports from one IP address', async () => {
    const story = await createStory(db);
    const comment = await addComment(story.id);
    const url = `/comments/${comment.id}/report`;
    const ip = { 'x-forwarded-for': '198.51.100.250' };
    for (let i = 0; i < 5; i++) expect((await new Browser(app).submit(url, url, { reason: 'spam' }, ip)).statusCode).toBe(303);
    const res = await new Browser(app).submit(url, url, { reason: 'spam' }, ip);
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain('We could not accept your report');
    expect(await reports(comment.id)).toHaveLength(5);
  });
});
