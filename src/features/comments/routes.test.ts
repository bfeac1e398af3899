import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { createStory, storyComments, type StoryRow } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';
import { stories } from '#src/features/stories/tables.ts';
import { storyTarget } from '#src/features/stories/service.ts';
import { commentTestKit } from './test-support.ts';

// trustProxy lets each test speak from its own IP address (X-Forwarded-For), as behind a proxy.
const { app, db, services } = await buildTestApp({ trustProxy: true });

const { oldStamp, valid, rowsFor, setModeration, send, addComment } = commentTestKit(app, services, db, '10.2');

// What the story page does: render the partial with the thread, and only these two functions.
async function renderSection(story: StoryRow) {
  const published = (await services.stories.findPublishedById(story.id))!;
  const { thread, count: commentCount } = await services.comments.threadFor('story', story.id);
  return app.nunjucks.render('comments/views/_section.njk', {
    target: storyTarget(published),
    thread,
    commentCount,
    csrfToken: () => '__CSRF__',
    formStamp: () => '__STAMP__',
  });
}

// The nesting depth of each comment in the rendered lists.
function depths(html: string): Map<number, number> {
  const out = new Map<number, number>();
  let depth = 0;
  for (const m of html.matchAll(/<ol class="app-comments">|<\/ol>|id="comment-(\d+)"/g)) {
    if (m[0] === '</ol>') depth--;
    else if (m[1]) out.set(Number(m[1]), depth);
    else depth++;
  }
  return out;
}

describe('the comments section of a story', () => {
  it('shows approved comments threaded four levels deep, with signatures, permalinks and actions', async () => {
    const story = await createStory(db);
    const a = await addComment(story.id, {
      authorJobTitle: 'Volunteer co-chair',
      authorOrganisation: 'Northfield Panel',
      createdAt: new Date('2026-11-01T10:00:00Z'),
    });
    const b = await addComment(story.id, { parentId: a.id, authorName: 'Ben', createdAt: new Date('2026-11-02T10:00:00Z') });
    const c = await addComment(story.id, {
      parentId: b.id,
      authorName: 'Dr Amara Okafor',
      authorJobTitle: 'Director of Public Involvement',
      authorIsStaff: true,
      createdAt: new Date('2026-11-03T10:00:00Z'),
    });
    const d = await addComment(story.id, { parentId: c.id, authorName: 'Dee', createdAt: new Date('2026-11-04T10:00:00Z') });
    await addComment(story.id, { authorName: 'Hidden Harry', status: 'pending' });

    const html = await renderSection(story);
    expect(html).toContain('<h2 id="comments-heading">Comments (4)</h2>');
    expect(Object.fromEntries(depths(html))).toEqual({ [a.id]: 1, [b.id]: 2, [c.id]: 3, [d.id]: 4 });
    expect(html).not.toContain('Hidden Harry');
    expect(html).toContain('Ada Lovelace</span>, Volunteer co-chair, Northfield Panel');
    expect(html).toMatch(/Dr Amara Okafor<\/span>, Director of Public Involvement\s*<strong class="nhsuk-tag[^"]*">Staff<\/strong>/);
    expect(html.match(/>Staff</g)).toHaveLength(1);
    expect(html).toContain('<time datetime="2026-11-01T10:00:00.000Z">1 November 2026</time>');
    expect(html).toContain(`href="/stories/${story.slug}#comment-${a.id}"`);
    expect(html).toContain(
      `href="/stories/${story.slug}/comments/new?parent=${b.id}#add-comment" data-reply-to="${b.id}" data-reply-name="Ben"`,
    );
    expect(html).toContain(`href="/comments/${d.id}/report"`);
    expect(html).not.toContain('ada.secret@example.org');
  });

  it('has the comment form with the agreed labels, ids, honeypot and per-request placeholders only', async () => {
    const story = await createStory(db);
    const html = await renderSection(story);
    expect(html).toContain('There are no comments yet.');
    expect(html).toContain('id="add-comment"');
    expect(html).toContain('<h2 id="add-comment-heading">Add a comment</h2>');
    expect(html).toMatch(/<p id="replying-to"[^>]*hidden><\/p>/);
    expect(html).toContain(`action="/stories/${story.slug}/comments"`);
    expect(html).toContain('name="_csrf" value="__CSRF__"');
    expect(html).toContain('name="stamp" value="__STAMP__"');
    expect(html).toContain('name="parentId" id="parentId" value=""');
    for (const label of [
      'Name',
      'Job title (optional)',
      'Organisation (optional)',
      'Email address',
      'Comment',
      'Email me when someone replies',
    ]) {
      expect(html).toMatch(new RegExp(`<label[^>]*>\\s*${label.replace(/[()]/g, '\\$&')}\\s*</label>`));
    }
    expect(html).toContain('We will never publish your email address.');
    expect(html).toMatch(
      /<div class="app-honeypot" aria-hidden="true">\s*<label for="website">Leave this field empty<\/label>\s*<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">/,
    );
  });

  it('shows comments but no form or reply links when comments are closed', async () => {
    const story = await createStory(db, { commentsOpen: false });
    await addComment(story.id);
    const html = await renderSection(story);
    expect(html).toContain('Comments are closed for this story.');
    expect(html).toContain('Ada Lovelace');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('data-reply-to');
  });

  it('shows a script in a comment as text and links as nofollow ugc', async () => {
    const story = await createStory(db);
    await addComment(story.id, { authorName: '<b>Mallory</b>', body: '<script>alert(1)</script> see https://example.org/page' });
    const html = await renderSection(story);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<b>Mallory</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="https://example.org/page" rel="nofollow ugc noopener">');
  });
});

describe('the add a comment page', () => {
  it('shows the story title and the form, and quotes the comment being replied to', async () => {
    const story = await createStory(db, { title: 'Listening properly' });
    const parent = await addComment(story.id, { body: 'What about carers?' });
    const plain = await app.inject(`/stories/${story.slug}/comments/new`);
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toMatch(/<h1><span class="nhsuk-caption-l">Listening properly.*<\/span>Add a comment<\/h1>/);
    expect(plain.body.match(/<h1/g)).toHaveLength(1);
    const reply = await app.inject(`/stories/${story.slug}/comments/new?parent=${parent.id}`);
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('Reply to Ada Lovelace</h1>');
    expect(reply.body).toContain('What about carers?');
    expect(reply.body).toContain(`name="parentId" id="parentId" value="${parent.id}"`);
    expect(reply.body).toMatch(/name="stamp" value="v1\.[0-9a-z]+\.[\w-]+"/);
    expect(reply.body).not.toContain('ada.secret@example.org');
  });

  it('is not found for an unknown story, an unknown parent or an unpublished one', async () => {
    const story = await createStory(db);
    const pending = await addComment(story.id, { status: 'pending' });
    const draft = await createStory(db, { status: 'draft' });
    for (const url of [
      '/stories/no-such-story/comments/new',
      `/stories/${draft.slug}/comments/new`,
      `/stories/${story.slug}/comments/new?parent=${pending.id}`,
      `/stories/${story.slug}/comments/new?parent=99999999`,
      `/stories/${story.slug}/comments/new?parent=abc`,
    ]) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });
});

describe('sending a comment', () => {
  it('holds it for approval and thanks the person, storing their IP address', async () => {
    const story = await createStory(db);
    const res = await send(story, { name: 'Priya', email: 'Priya@Example.org', notifyReplies: 'yes' }, { ip: '192.0.2.44' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/stories/${story.slug}/comments/thanks`);
    const thanks = await app.inject(res.headers.location!);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Thank you for your comment');
    expect(thanks.body).toContain('once it has been approved');
    const [row] = await db.select().from(comments).where(storyComments(story.id));
    expect(row).toMatchObject({
      status: 'pending',
      authorName: 'Priya',
      authorEmail: 'priya@example.org',
      ipAddress: '192.0.2.44',
      notifyReplies: true,
      authorJobTitle: 'Carer',
      authorOrganisation: null,
    });
    expect((await services.comments.threadFor('story', story.id)).count).toBe(0);
  });

  it('publishes straight away when moderation is off and goes to the comment', async () => {
    await setModeration('none');
    try {
      const story = await createStory(db);
      const parent = await addComment(story.id);
      const res = await send(
        story,
        { comment: '<script>alert(1)</script>' },
        { page: `/stories/${story.slug}/comments/new?parent=${parent.id}` },
      );
      expect(res.statusCode).toBe(303);
      const [row] = await db.select().from(comments).where(eq(comments.parentId, parent.id));
      expect(res.headers.location).toBe(`/stories/${story.slug}#comment-${row!.id}`);
      const html = await renderSection(story);
      expect(depths(html).get(row!.id)).toBe(2);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>alert(1)</script>');
    } finally {
      await setModeration('all');
    }
  });

  const long = (n: number) => 'x'.repeat(n);
  const cases: [string, Record<string, string>, string, string][] = [
    ['no name', { name: '' }, 'Enter your name', '#name'],
    ['a name over 120 characters', { name: long(121) }, 'Name must be 120 characters or fewer', '#name'],
    ['a job title over 120 characters', { jobTitle: long(121) }, 'Job title must be 120 characters or fewer', '#jobTitle'],
    ['an organisation over 120 characters', { organisation: long(121) }, 'Organisation must be 120 characters or fewer', '#organisation'],
    ['no email address', { email: '' }, 'Enter your email address', '#email'],
    [
      'an invalid email address',
      { email: 'jo at example' },
      'Enter an email address in the correct format, like name@example.com',
      '#email',
    ],
    ['an empty comment', { comment: '   ' }, 'Enter your comment', '#comment'],
    ['a comment over 5,000 characters', { comment: long(5001) }, 'Comment must be 5,000 characters or fewer', '#comment'],
    [
      'more than 3 links',
      { comment: 'https://a.example https://b.example https://c.example https://d.example' },
      'Comment must include no more than 3 web links',
      '#comment',
    ],
    ['an unknown parent', { parentId: '99999999' }, 'The comment you are replying to is no longer available', '#parentId-error'],
  ];
  for (const [what, fields, message, href] of cases) {
    it(`re-renders the form with the error summary for ${what}, storing nothing`, async () => {
      const story = await createStory(db);
      const res = await send(story, { ...fields, name: fields.name ?? 'Kept Name' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
      expect(res.body).toContain(`href="${href}"`);
      expect(res.body).toMatch(/<title>Error: /);
      if (fields.name === undefined) expect(res.body).toContain('value="Kept Name"');
      expect(await rowsFor(story.id)).toBe(0);
    });
  }

  it('accepts a comment of exactly 5,000 characters with Windows line breaks', async () => {
    const story = await createStory(db);
    const res = await send(story, { comment: `${'y'.repeat(2000)}\r\n${'z'.repeat(2999)}` });
    expect(res.statusCode).toBe(303);
  });

  it('refuses a reply to a comment on another story or one not yet approved', async () => {
    const story = await createStory(db);
    const other = await createStory(db);
    const elsewhere = await addComment(other.id);
    const pending = await addComment(story.id, { status: 'pending' });
    for (const parentId of [elsewhere.id, pending.id]) {
      const res = await send(story, { parentId: String(parentId) });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('The comment you are replying to is no longer available');
    }
    expect(await rowsFor(story.id)).toBe(1);
  });

  it('is not found for an unknown story and refused when comments are closed', async () => {
    const story = await createStory(db);
    const browser = new Browser(app);
    const unknown = await browser.post('/stories/no-such-story/comments', { stamp: oldStamp(), ...valid() });
    expect(unknown.statusCode).toBe(404);
    await db.update(stories).set({ commentsOpen: false }).where(eq(stories.id, story.id));
    const closed = await browser.post(`/stories/${story.slug}/comments`, { stamp: oldStamp(), ...valid() });
    expect(closed.statusCode).toBe(400);
    expect(closed.body).toContain('Comments are closed for this story.');
    expect(closed.body).not.toContain('id="add-comment"');
    expect(await rowsFor(story.id)).toBe(0);
  });

  it('refuses an anonymous post from another site, by what the browser says of it, storing nothing', async () => {
    const story = await createStory(db);
    const path = `/stories/${story.slug}/comments`;
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://elsewhere.example' },
      { origin: 'null' },
      { referer: 'https://elsewhere.example/page' },
    ];
    for (const headers of crossSite) {
      const res = await new Browser(app).post(path, { stamp: oldStamp(), ...valid() }, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
    }
    const origin = new URL(app.config.baseUrl).origin;
    const own = await new Browser(app).post(path, { stamp: oldStamp(), ...valid() }, { origin, 'sec-fetch-site': 'same-origin' });
    expect(own.statusCode).toBe(303);
    expect(await rowsFor(story.id)).toBe(1);
  });

  it('refuses an anonymous post that brings no stamp, in the form or the cookie a cached page sets', async () => {
    const story = await createStory(db);
    const res = await new Browser(app).post(`/stories/${story.slug}/comments`, valid());
    expect(res.statusCode).toBe(400);
    expect(await rowsFor(story.id)).toBe(0);
  });

  it('accepts a comment from the cached page, whose stamp travels in a cookie, once the reader has taken their time', async () => {
    const story = await createStory(db);
    const browser = new Browser(app);
    const page = await browser.get(`/stories/${story.slug}`);
    expect(page.body).not.toMatch(/name="(_csrf|stamp)"/);
    expect(browser.cookies.get('coproduce.stamp')).toMatch(/^v1\./);
    const tooSoon = await browser.post(`/stories/${story.slug}/comments`, valid(), { 'sec-fetch-site': 'same-origin' });
    expect(tooSoon.statusCode).toBe(400);
    browser.cookies.set('coproduce.stamp', oldStamp());
    const sent = await browser.post(`/stories/${story.slug}/comments`, valid(), { 'sec-fetch-site': 'same-origin' });
    expect(sent.statusCode).toBe(303);
    expect(await rowsFor(story.id)).toBe(1);
  });

  it('asks again, keeping what was written, when the form was open for more than a day', async () => {
    const story = await createStory(db);
    const res = await send(story, { stamp: services.comments.issueFormStamp(Date.now() - 25 * 60 * 60 * 1000), comment: 'Still here' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This page was open for a long time');
    expect(res.body).toContain('Still here</textarea>');
    expect(await rowsFor(story.id)).toBe(0);
  });
});
