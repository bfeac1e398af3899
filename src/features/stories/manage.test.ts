import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory, onStory, storyComments } from '#tests/helpers/factories.ts';
import { tinyImages } from '#tests/helpers/images.ts';
import { multipart } from '#tests/helpers/multipart.ts';
import { comments } from '#src/features/comments/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { stories, storyImages } from './tables.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'coproduce-stories-'));
const { app, db } = await buildTestApp({ dataDir });
const { browser: staff, staff: staffAccount } = await signedInBrowser(app);
const mediaFiles = async () => readdir(join(dataDir, 'media')).catch(() => [] as string[]);

async function addComments(storyId: number, n: number) {
  for (let i = 0; i < n; i++) {
    await db.insert(comments).values({
      ...onStory(storyId),
      authorName: `Commenter ${i}`,
      authorEmail: `c${i}@example.org`,
      body: `Comment ${i}`,
      status: i === 0 ? 'pending' : 'approved',
    });
  }
}

async function uploadImage(storyId: number, fields: Record<string, string>, file?: { filename: string; content: Buffer }) {
  const page = await staff.get(`/admin/stories/${storyId}/images`);
  const action = `/admin/stories/${storyId}/images`;
  const { body, contentType } = multipart({ ...hiddenFields(page.body, action), ...fields }, file && { name: 'file', ...file });
  return app.inject({ method: 'POST', url: action, payload: body, headers: { 'content-type': contentType, cookie: staff.cookieHeader } });
}

describe('deleting a story', () => {
  it('says plainly what goes, how many comments, and that it cannot be undone', async () => {
    const story = await createStory(db, { title: 'A story to delete' });
    await addComments(story.id, 3);
    const edit = await staff.get(`/admin/stories/${story.id}/edit`);
    expect(edit.body).toContain(`href="/admin/stories/${story.id}/delete"`);
    const page = await staff.get(`/admin/stories/${story.id}/delete`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Delete “A story to delete”?</h1>');
    expect(page.body).toContain('all 3 of its comments, with their replies and reports (including any waiting for moderation)');
    expect(page.body).toContain('You cannot undo this.');
  });

  it('deletes the story, its comments and images, drops the cached page, and records it in the audit log', async () => {
    const story = await createStory(db, { title: 'Going for good' });
    await addComments(story.id, 2);
    expect((await uploadImage(story.id, { altText: 'A chart' }, { filename: 'chart.png', content: tinyImages.png })).statusCode).toBe(303);
    const [image] = await db.select().from(storyImages).where(eq(storyImages.storyId, story.id));
    expect(await mediaFiles()).toContain(image!.key);
    // A reader's visit puts the page in the cache.
    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(200);

    const res = await staff.submit(`/admin/stories/${story.id}/delete`, `/admin/stories/${story.id}/delete`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/stories?done=deleted');
    expect((await staff.get(String(res.headers.location))).body).toContain('The story, its comments and its images were deleted.');

    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(404);
    expect(await db.$count(stories, eq(stories.id, story.id))).toBe(0);
    expect(await db.$count(comments, storyComments(story.id))).toBe(0);
    expect(await db.$count(storyImages, eq(storyImages.storyId, story.id))).toBe(0);
    expect(await mediaFiles()).not.toContain(image!.key);
    expect((await app.inject(`/media/${image!.key}`)).statusCode).toBe(404);
    const [entry] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'story.deleted'));
    expect(entry).toMatchObject({
      actorUserId: staffAccount.id,
      details: { storyId: story.id, title: 'Going for good', comments: 2, images: 1 },
    });
  });

  it('needs the CSRF token, and answers 404 for a story that is not there', async () => {
    const story = await createStory(db);
    expect((await staff.post(`/admin/stories/${story.id}/delete`, {})).statusCode).toBe(403);
    expect(await db.$count(stories, eq(stories.id, story.id))).toBe(1);
    expect((await staff.get('/admin/stories/999999/delete')).statusCode).toBe(404);
    expect((await staff.submit(`/admin/stories/${story.id}/delete`, '/admin/stories/999999/delete', {})).statusCode).toBe(404);
  });
});

describe('unpublishing a story', () => {
  it('makes it a draft: readers no longer see it, its comments are kept', async () => {
    const story = await createStory(db, { title: 'Back to draft' });
    await addComments(story.id, 2);
    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(200);
    const res = await staff.submit(`/admin/stories/${story.id}/edit`, `/admin/stories/${story.id}/unpublish`, {});
    expect(res.statusCode).toBe(303);
    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(404);
    const [row] = await db.select().from(stories).where(eq(stories.id, story.id));
    expect(row!.status).toBe('draft');
    expect(await db.$count(comments, storyComments(story.id))).toBe(2);
    expect(await db.$count(auditEvents, eq(auditEvents.action, 'story.unpublished'))).toBe(1);
    // A draft offers no "Unpublish".
    expect((await staff.get(`/admin/stories/${story.id}/edit`)).body).not.toContain(`/admin/stories/${story.id}/unpublish`);
  });
});

describe('the staff list of stories', () => {
  it('searches titles by the start of their words, and keeps the search across pages', async () => {
    await createStory(db, { title: 'Listening to carers in Wrexham' });
    await createStory(db, { title: 'Carers week round-up' });
    await createStory(db, { title: 'Something else entirely' });
    const res = await staff.get('/admin/stories?q=carer');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Listening to carers in Wrexham');
    expect(res.body).toContain('Carers week round-up');
    expect(res.body).not.toContain('Something else entirely');
    expect(res.body).toContain('2 stories match “carer”.');
    expect(res.body).toMatch(/<input[^>]*name="q"[^>]*value="carer"/);
    const none = await staff.get('/admin/stories?q=%3C%3E%20%26');
    expect(none.body).toContain('No story title matches your search.');
  });
});

describe('images in a story', () => {
  it('stores the image, adds it to the end of the story with its alt text, and the public page shows it', async () => {
    const story = await createStory(db, { bodyMarkdown: 'Our words.', bodyHtml: '<p>Our words.</p>' });
    // Named like a text file: the type comes from the bytes.
    const res = await uploadImage(
      story.id,
      { altText: 'Members of the group around a table', caption: 'Our first meeting' },
      { filename: 'photo.txt', content: tinyImages.png },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/stories/${story.id}/images?added=1`);
    const [image] = await db.select().from(storyImages).where(eq(storyImages.storyId, story.id));
    expect(image).toMatchObject({ contentType: 'image/png', altText: 'Members of the group around a table', caption: 'Our first meeting' });
    expect(image!.key).toMatch(/^[a-f0-9]{32}\.png$/);

    const page = await app.inject(`/stories/${story.slug}`);
    expect(page.body).toContain(`<img src="/media/${image!.key}" alt="Members of the group around a table" />`);
    expect(page.body).toContain('<em>Our first meeting</em>');

    const media = await app.inject(`/media/${image!.key}`);
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('image/png');
    expect(media.headers['x-content-type-options']).toBe('nosniff');
    expect(media.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(media.rawPayload).toEqual(tinyImages.png);
  });

  it('requires alt text, a file, and a real image no larger than 5 MB, storing nothing otherwise', async () => {
    const story = await createStory(db);
    const before = (await mediaFiles()).length;
    const cases: [Record<string, string>, { filename: string; content: Buffer } | undefined, string, string][] = [
      [{ altText: '' }, { filename: 'a.png', content: tinyImages.png }, '#altText', 'Describe the image for people who cannot see it'],
      [{ altText: 'Words' }, undefined, '#file', 'Select an image file'],
      [
        { altText: 'Words' },
        { filename: 'evil.png', content: Buffer.from('<svg onload="alert(1)"/>') },
        '#file',
        'must be a JPEG, PNG, WebP or GIF',
      ],
      [
        { altText: 'Words' },
        { filename: 'big.png', content: Buffer.concat([tinyImages.png, Buffer.alloc(5 * 1024 * 1024)]) },
        '#file',
        'smaller than 5 MB',
      ],
    ];
    for (const [fields, file, href, message] of cases) {
      const res = await uploadImage(story.id, fields, file);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(`href="${href}"`);
      expect(res.body).toContain(message);
    }
    expect((await mediaFiles()).length).toBe(before);
    expect(await db.$count(storyImages, eq(storyImages.storyId, story.id))).toBe(0);
  });

  it('is for staff only, and 404s for a story that is not there', async () => {
    const story = await createStory(db);
    const anonymous = await new Browser(app).get(`/admin/stories/${story.id}/images`);
    expect(anonymous.statusCode).toBe(302);
    expect((await staff.get('/admin/stories/999999/images')).statusCode).toBe(404);
    expect((await app.inject('/media/not-a-key.png')).statusCode).toBe(404);
    expect((await app.inject('/media/0123456789abcdef0123456789abcdef.png')).statusCode).toBe(404);
  });
});
