import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { withoutControlCharacters } from '#src/plugins/input.ts';
import { comments } from '#src/features/comments/tables.ts';
import { commentTestKit } from '#src/features/comments/test-support.ts';

// Issue 17, finding 2: a %00 in any form field or query answered 500 (PostgreSQL refuses NUL in
// text). One hook (src/plugins/input.ts) cleans every body, query and path parameter.
const { app, db, services } = await buildTestApp({ trustProxy: true });
const { send } = commentTestKit(app, services, db, '10.17');

describe('control characters in what people send', () => {
  it('are removed, keeping tabs and new lines, however deeply nested', () => {
    const body = { a: 'x\u0000y', b: ['1\u00012', { c: 'line\none\ttab\r\n\u007f\u009b' }], 'k\u0000ey': 'v' };
    expect(withoutControlCharacters(body)).toEqual({ a: 'xy', b: ['12', { c: 'line\none\ttab\r\n' }], key: 'v' });
  });

  it('never turn a comment into a server error, and nothing invisible is stored', async () => {
    const story = await createStory(db, { slug: 'control-characters' });
    const res = await send(story, { name: 'Jo\u0000 Bloggs', jobTitle: 'Ca\u0000rer', comment: 'Nul\u0000 here\nand a new line' });
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(comments).where(eq(comments.targetId, story.id));
    expect(row!.authorName).toBe('Jo Bloggs');
    expect(row!.body).toBe('Nul here\nand a new line');
  });

  it('never turn a staff search or a staff form into a server error', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    expect((await browser.get('/admin/newsletters/subscribers?q=a%00b')).statusCode).toBe(200);
    expect((await browser.get('/admin/people?q=a%00b%1b')).statusCode).toBe(200);
    const topic = await browser.submit('/admin/newsletters/topics', '/admin/newsletters/topics', { name: 'Re\u0000search' });
    expect(topic.statusCode).toBeLessThan(500);
    const settings = await browser.submit('/admin/settings', '/admin/settings', { name: 'Our\u0000 organisation' });
    expect(settings.statusCode).toBeLessThan(500);
    expect((await new Browser(app).get('/stories/a%00b')).statusCode).toBe(404);
  });
});
