import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, hiddenFields } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { bringDatabaseBack, takeDatabaseAway } from '#tests/helpers/database-faults.ts';
import { commentTestKit } from '#src/features/comments/test-support.ts';

// Issue 17: with the database gone, pages and form posts answered 500 "there is a problem with
// the service". They answer 503 with Retry-After and say plainly that nothing was saved; a form
// post gives back what the person typed; the cached story page keeps serving; on PostgreSQL the
// app recovers by itself when the database returns.
const { app, db, services, database } = await buildTestApp({ trustProxy: true });
const { valid, oldStamp } = commentTestKit(app, services, db, '10.18');

describe('while the database is away', () => {
  it('answers 503 pages and problem documents, keeps what was typed, serves cached pages, and recovers', async () => {
    const story = await createStory(db, { slug: 'while-away' });
    const browser = new Browser(app);
    expect((await browser.get(`/stories/${story.slug}`)).statusCode).toBe(200);
    const form = await browser.get(`/stories/${story.slug}/comments/new`);
    expect(form.statusCode).toBe(200);

    await takeDatabaseAway(database);

    const home = await browser.get('/stories');
    expect(home.statusCode).toBe(503);
    expect(home.headers['retry-after']).toBe('30');
    expect(home.body).toContain('Sorry, the service is unavailable');
    expect(home.body).toContain('Nothing you sent was saved');
    expect(home.body).not.toContain('problem with the service');

    const json = await browser.get('/stories', { accept: 'application/json' });
    expect(json.statusCode).toBe(503);
    expect(json.json()).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });

    const action = `/stories/${story.slug}/comments`;
    const typed = { ...hiddenFields(form.body, action), stamp: oldStamp(), ...valid(), comment: 'My words must not be lost.' };
    const comment = await browser.post(action, typed, { 'x-forwarded-for': '10.18.0.1' });
    expect(comment.statusCode).toBe(503);
    expect(comment.headers['retry-after']).toBe('30');
    expect(comment.body).toContain('My words must not be lost.');
    expect(comment.body).toContain('Send it again');
    expect(comment.body).not.toMatch(/name="(password|stamp|website)"/);

    // The anonymous story page is served from memory (ADR 10): readers keep reading.
    const cached = await new Browser(app).get(`/stories/${story.slug}`);
    expect(cached.statusCode).toBe(200);

    const health = await app.inject('/healthz');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable' });

    if (database.kind === 'postgres') {
      await bringDatabaseBack(database);
      expect((await browser.get('/stories')).statusCode).toBe(200);
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    }
  });
});
