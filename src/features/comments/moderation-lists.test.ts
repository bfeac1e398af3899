import { describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory, onStory } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';
import { QUEUE_PAGE_SIZE } from './moderation.ts';
import { parseQueueQuery, queueHref } from './schema.ts';

// The moderation lists at volume: search, a filter by story, pages, and "select all".
const { app, db } = await buildTestApp();
const { browser: staff } = await signedInBrowser(app);

async function addComments(storyId: number, n: number, values: Partial<typeof comments.$inferInsert> = {}) {
  const rows = await db
    .insert(comments)
    .values(
      Array.from({ length: n }, (_, i) => ({
        ...onStory(storyId),
        authorName: `Commenter ${i}`,
        authorEmail: `c${i}@example.org`,
        body: `Comment number ${i}`,
        ...values,
      })),
    )
    .returning({ id: comments.id });
  return rows.map((r) => r.id);
}
const commentCards = (html: string) => [...html.matchAll(/id="queued-(\d+)"/g)].map((m) => Number(m[1]));

describe('the list address', () => {
  it('reads odd values leniently and writes only what is set', () => {
    expect(parseQueueQuery({ status: 'nonsense', page: '-3', on: 'story-x', q: '  words  ', select: 'all' })).toEqual({
      status: 'pending',
      page: 1,
      q: 'words',
      on: undefined,
      select: true,
    });
    expect(parseQueueQuery({ status: 'approved', page: '2', on: 'story-12' })).toMatchObject({ on: { type: 'story', id: 12 }, page: 2 });
    expect(queueHref({ status: 'approved', q: 'a b', on: { type: 'story', id: 3 }, page: 2 })).toBe(
      '/admin/comments?status=approved&q=a+b&on=story-3&page=2',
    );
    expect(queueHref({ status: 'pending', q: '' })).toBe('/admin/comments?status=pending');
  });
});

describe('the approved and rejected lists', () => {
  it('filter by story, search the words and the name, and keep both across pages', async () => {
    const garden = await createStory(db, { title: 'The community garden' });
    const clinic = await createStory(db, { title: 'The evening clinic' });
    await addComments(garden.id, QUEUE_PAGE_SIZE + 2, { status: 'approved' });
    const [onClinic] = await addComments(clinic.id, 1, {
      status: 'approved',
      authorName: 'Bronwen Ellis',
      body: 'Longer opening hours helped my dad',
    });
    const [rejected] = await addComments(clinic.id, 1, { status: 'rejected', authorName: 'Rhys Jones', body: 'Parking was impossible' });

    const byStory = await staff.get(`/admin/comments?status=approved&on=story-${clinic.id}`);
    expect(byStory.statusCode).toBe(200);
    expect(commentCards(byStory.body)).toEqual([onClinic]);
    expect(byStory.body).toMatch(new RegExp(`<option value="story-${clinic.id}" selected>\\s*The evening clinic`));
    expect(byStory.body).toContain(`<option value="story-${garden.id}"`);

    const byGarden = await staff.get(`/admin/comments?status=approved&on=story-${garden.id}`);
    expect(commentCards(byGarden.body)).toHaveLength(QUEUE_PAGE_SIZE);
    expect(byGarden.body).toContain('nhsuk-pagination');
    expect(byGarden.body).toContain(`href="/admin/comments?status=approved&amp;on=story-${garden.id}&amp;page=2"`);
    const second = await staff.get(`/admin/comments?status=approved&on=story-${garden.id}&page=2`);
    expect(commentCards(second.body)).toHaveLength(2);

    // By the commenter's name or the comment's words, prefixes of each word, any case.
    expect(commentCards((await staff.get('/admin/comments?status=approved&q=bronw')).body)).toEqual([onClinic]);
    expect(commentCards((await staff.get('/admin/comments?status=approved&q=OPENING%20hours')).body)).toEqual([onClinic]);
    expect(commentCards((await staff.get('/admin/comments?status=rejected&q=parking')).body)).toEqual([rejected]);
    const nothing = await staff.get('/admin/comments?status=approved&q=%26%7C!');
    expect(commentCards(nothing.body)).toEqual([]);
    expect(nothing.body).toContain('No comments in this list match your search or filter.');
  });
});

describe('select all', () => {
  it('re-shows the page with every comment on it ticked, and approving them empties the queue', async () => {
    const story = await createStory(db, { title: 'A busy story' });
    const pending = await addComments(story.id, 3, { status: 'pending' });
    const list = `/admin/comments?status=pending&on=story-${story.id}`;
    const page = await staff.get(list);
    expect(page.body).toContain('Select all 3 comments on this page');
    expect(page.body).not.toMatch(/name="ids" type="checkbox" value="\d+" form="bulk-actions" checked/);

    const all = await staff.get(`${list}&select=all`);
    const ticked = [...all.body.matchAll(/name="ids" type="checkbox" value="(\d+)" form="bulk-actions" checked/g)].map((m) => Number(m[1]));
    expect(ticked.sort()).toEqual([...pending].sort());
    expect(all.body).toContain('Clear selection');

    // What a browser sends: the ticked boxes with the form's hidden fields (its list and filter).
    const form = hiddenFields(all.body, '/admin/comments/bulk');
    expect(form).toMatchObject({ status: 'pending', on: `story-${story.id}` });
    const res = await staff.post('/admin/comments/bulk', { ...form, action: 'approve', ids: ticked.map(String) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/comments?status=pending&on=story-${story.id}&done=approve&n=3`);
    const rows = await db.select({ status: comments.status }).from(comments).where(inArray(comments.id, pending));
    expect(rows.every((r) => r.status === 'approved')).toBe(true);
    const after = await staff.get(String(res.headers.location));
    expect(after.body).toContain('3 comments approved');
    expect(commentCards(after.body)).toEqual([]);
  });

  it('has nothing to select in an empty list', async () => {
    const story = await createStory(db);
    const res = await staff.get(`/admin/comments?status=spam&on=story-${story.id}`);
    expect(res.body).not.toContain('Select all');
    expect(await db.$count(comments, eq(comments.targetId, story.id))).toBe(0);
  });
});
