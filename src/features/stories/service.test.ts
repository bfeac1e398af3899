import { EventEmitter } from 'node:events';
import { msg } from '#src/lib/messages.ts';
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import type { DomainEvents } from '#src/platform/events.ts';
import { createStoriesService } from './service.ts';
import { stories as storiesTable, storyTags } from './tables.ts';
import { daysFromNow, storyInput } from './testing.ts';
import { DEMO_STORY_SLUG, seedStories } from './seed.ts';

const { db, services } = await buildTestApp();
const { stories } = services;

async function create(overrides: Parameters<typeof storyInput>[0] = {}) {
  const result = await stories.create(storyInput(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

describe('what readers can see', () => {
  it('shows published stories whose date has come, never drafts or future stories', async () => {
    const live = await create({ tags: [{ slug: 'visibility', name: 'Visibility' }] });
    const draft = await create({ status: 'draft', tags: [{ slug: 'visibility', name: 'Visibility' }] });
    const future = await create({ publishedOn: daysFromNow(3), tags: [{ slug: 'visibility', name: 'Visibility' }] });

    expect(await stories.findPublishedBySlug(live.slug)).toMatchObject({ id: live.id, tags: [{ slug: 'visibility', name: 'Visibility' }] });
    expect(await stories.findPublishedById(live.id)).not.toBeNull();
    for (const hidden of [draft, future]) {
      expect(await stories.findPublishedBySlug(hidden.slug)).toBeNull();
      expect(await stories.findPublishedById(hidden.id)).toBeNull();
    }
    const tagged = await stories.listPublishedByTag('visibility', { page: 1, perPage: 10 });
    expect(tagged?.items.map((s) => s.id)).toEqual([live.id]);

    // Staff can still open them, and are told readers cannot.
    expect(await stories.findForStaff(draft.slug)).toMatchObject({ status: 'draft', isLive: false });
    expect(await stories.findForStaff(future.slug)).toMatchObject({ status: 'published', isLive: false });
    expect(await stories.findForStaff(live.slug)).toMatchObject({ isLive: true });
  });

  it('a future story appears once its moment comes', async () => {
    let clock = new Date();
    const events = new EventEmitter<DomainEvents>();
    const timed = createStoriesService(db, { events, now: () => clock });
    const saved = await timed.create(storyInput({ publishedOn: daysFromNow(2) }));
    if (!saved.ok) throw new Error('not saved');
    expect(await timed.findPublishedBySlug(saved.slug)).toBeNull();
    clock = new Date(Date.now() + 3 * 86_400_000);
    expect(await timed.findPublishedBySlug(saved.slug)).not.toBeNull();
  });

  it('keeps a story as comments see it only until staff change it, and never keeps one not yet live', async () => {
    const events = new EventEmitter<DomainEvents>();
    const svc = createStoriesService(db, { events });
    const saved = await svc.create(storyInput());
    const draft = await svc.create(storyInput({ status: 'draft' }));
    if (!saved.ok || !draft.ok) throw new Error('not saved');
    expect(await svc.commentTarget({ slug: saved.slug })).toMatchObject({ id: saved.id, commentsOpen: true });
    expect(await svc.commentTarget({ slug: draft.slug })).toBeNull();

    // Changed behind the service's back: the kept story stands (the comment routes' saved round trip).
    await db.update(storiesTable).set({ commentsOpen: false }).where(eq(storiesTable.id, saved.id));
    await db.update(storiesTable).set({ status: 'published' }).where(eq(storiesTable.id, draft.id));
    expect(await svc.commentTarget({ slug: saved.slug })).toMatchObject({ commentsOpen: true });
    expect(await svc.commentTarget({ slug: draft.slug })).toMatchObject({ id: draft.id });

    // Staff closing comments (or unpublishing) say the story changed: the next lookup reads it again.
    const closed = await svc.update(saved.id, storyInput({ slug: saved.slug, commentsOpen: false }));
    expect(closed.ok).toBe(true);
    expect(await svc.commentTarget({ slug: saved.slug })).toMatchObject({ commentsOpen: false });
    await db.update(storiesTable).set({ status: 'draft' }).where(eq(storiesTable.id, saved.id));
    events.emit('story.changed', saved.id);
    expect(await svc.commentTarget({ slug: saved.slug })).toBeNull();
    expect(await svc.commentTarget({ id: saved.id })).toBeNull();
  });

  it('keeps the story its page shows until it changes, but not a read that a change overtook', async () => {
    const events = new EventEmitter<DomainEvents>();
    const svc = createStoriesService(db, { events });
    const saved = await svc.create(storyInput({ title: 'Kept for the page' }));
    if (!saved.ok) throw new Error('not saved');
    expect(await svc.findPublishedBySlug(saved.slug)).toMatchObject({ title: 'Kept for the page' });
    await db.update(storiesTable).set({ title: 'Renamed behind its back' }).where(eq(storiesTable.id, saved.id));
    expect(await svc.findPublishedBySlug(saved.slug)).toMatchObject({ title: 'Kept for the page' });
    expect(await svc.findPublishedById(saved.id)).toMatchObject({ title: 'Renamed behind its back' }); // kept by id from now

    // A change announced while a read is on its way: that read is answered, but not kept.
    events.emit('story.changed', saved.id);
    const overtaken = svc.findPublishedBySlug(saved.slug);
    events.emit('story.changed', saved.id);
    expect(await overtaken).toMatchObject({ title: 'Renamed behind its back' });
    await db.update(storiesTable).set({ title: 'Renamed again' }).where(eq(storiesTable.id, saved.id));
    expect(await svc.findPublishedBySlug(saved.slug)).toMatchObject({ title: 'Renamed again' });
  });

  it('lists newest first, a page at a time, with the total', async () => {
    const tag = { slug: 'paging', name: 'Paging' };
    const made = [];
    for (let i = 12; i >= 1; i--) made.push(await create({ publishedOn: daysFromNow(-i), tags: [tag] }));
    const newestFirst = made.map((s) => s.id).reverse();
    const first = await stories.listPublishedByTag('paging', { page: 1, perPage: 5 });
    const third = await stories.listPublishedByTag('paging', { page: 3, perPage: 5 });
    expect(first?.total).toBe(12);
    expect(first?.items.map((s) => s.id)).toEqual(newestFirst.slice(0, 5));
    expect(third?.items.map((s) => s.id)).toEqual(newestFirst.slice(10));

    const all = await stories.listPublished({ page: 1, perPage: 1000 });
    const times = all.items.map((s) => s.publishedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.total).toBe(all.items.length);
  });

  it('has no tag page for an unknown tag or one with only drafts', async () => {
    await create({ status: 'draft', tags: [{ slug: 'only-drafts', name: 'Only drafts' }] });
    expect(await stories.listPublishedByTag('only-drafts', { page: 1, perPage: 10 })).toBeNull();
    expect(await stories.listPublishedByTag('no-such-tag', { page: 1, perPage: 10 })).toBeNull();
    expect((await stories.liveTags()).map((t) => t.slug)).not.toContain('only-drafts');
  });
});

describe('saving stories', () => {
  it('derives the slug from the title, renders Markdown and announces the change', async () => {
    const changed = vi.fn();
    services.events.on('story.changed', changed);
    const saved = await stories.create(storyInput({ title: 'Café & Co: What’s next?', bodyMarkdown: '## Hi\n\n<script>x</script>' }));
    services.events.off('story.changed', changed);
    expect(saved).toMatchObject({ ok: true, slug: 'cafe-co-what-s-next' });
    if (!saved.ok) return;
    expect(changed).toHaveBeenCalledWith(saved.id);
    const [row] = await db.select().from(storiesTable).where(eq(storiesTable.id, saved.id));
    expect(row!.bodyHtml).toBe('<h2>Hi</h2>\n<p>&lt;script&gt;x&lt;/script&gt;</p>');
  });

  it('refuses a slug another story has, saving nothing', async () => {
    const first = await create({ slug: 'taken-slug' });
    const before = await db.$count(storiesTable);
    const changed = vi.fn();
    services.events.on('story.changed', changed);
    const again = await stories.create(storyInput({ slug: 'taken-slug' }));
    const fromTitle = await stories.create(storyInput({ title: 'Taken slug' }));
    services.events.off('story.changed', changed);
    expect(again).toEqual({ ok: false, errors: { slug: msg('stories.admin.form.slug.taken') } });
    expect(fromTitle.ok).toBe(false);
    expect(await db.$count(storiesTable)).toBe(before);
    expect(changed).not.toHaveBeenCalled();
    // A story keeps its own slug when edited.
    expect(await stories.update(first.id, storyInput({ slug: 'taken-slug', title: 'Renamed' }))).toMatchObject({ ok: true });
  });

  it('updates a story and replaces its tags, keeping an unchanged publish moment', async () => {
    const saved = await create({ publishedOn: daysFromNow(-10), tags: [{ slug: 'old-tag', name: 'Old tag' }] });
    const before = (await stories.findForEdit(saved.id))!;
    const input = storyInput({
      title: 'Updated title',
      slug: saved.slug,
      publishedOn: daysFromNow(-10),
      tags: [{ slug: 'new-tag', name: 'New tag' }],
    });
    expect(await stories.update(saved.id, input)).toMatchObject({ ok: true, id: saved.id });
    const after = (await stories.findForEdit(saved.id))!;
    expect(after.story.title).toBe('Updated title');
    expect(after.story.tags).toEqual([{ slug: 'new-tag', name: 'New tag' }]);
    expect(after.story.publishedAt).toEqual(before.story.publishedAt);
    expect(after.values).toMatchObject({ title: 'Updated title', tags: 'New tag', status: 'published', comments: 'open' });
    expect(await db.$count(storyTags, eq(storyTags.storyId, saved.id))).toBe(1);
  });

  it('previews without saving anything', async () => {
    const before = await db.$count(storiesTable);
    const changed = vi.fn();
    services.events.on('story.changed', changed);
    const preview = await stories.preview(
      storyInput({ title: 'Just looking', bodyMarkdown: '**Bold** [x](javascript:alert(1))', status: 'draft' }),
    );
    services.events.off('story.changed', changed);
    expect(preview).toMatchObject({ title: 'Just looking', slug: 'just-looking', status: 'draft', isLive: false });
    expect(preview.bodyHtml).toContain('<strong>Bold</strong>');
    expect(preview.bodyHtml).not.toMatch(/href="javascript:/i);
    expect(await db.$count(storiesTable)).toBe(before);
    expect(changed).not.toHaveBeenCalled();
  });
});

describe('demo content', () => {
  it('seeds the long story and enough others for lists and tag pages', async () => {
    await db.transaction(async (tx) => seedStories(tx));
    const story = (await stories.findPublishedBySlug(DEMO_STORY_SLUG))!;
    expect(story).toMatchObject({
      title: 'Working with people, not for them',
      authorName: 'Dr Amara Okafor',
      authorJobTitle: 'Director of Public Involvement',
      commentsOpen: true,
      tags: [
        { slug: 'coproduction', name: 'Coproduction' },
        { slug: 'patient-and-public-involvement', name: 'Patient and public involvement' },
      ],
    });
    expect(story.publishedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const words = story.bodyHtml
      .replace(/<[^>]+>/g, ' ')
      .split(/\s+/)
      .filter(Boolean).length;
    expect(words).toBeGreaterThanOrEqual(1200);
    expect(words).toBeLessThanOrEqual(1800);
    // In Welsh too, with its body rendered; the others stay English only, so the fallback shows.
    expect(story.translations.cy).toMatchObject({ title: 'Gweithio gyda phobl, nid ar eu rhan' });
    expect(story.translations.cy!.bodyHtml).toContain('<h2>Beth aeth o’i le</h2>');
    const coChairs = await stories.findPublishedBySlug('meet-the-co-chairs-of-our-lived-experience-group');
    expect(coChairs!.translations).toEqual({});
    expect(await stories.findPublishedBySlug('the-first-night-home')).not.toBeNull();
    expect(await stories.findForStaff('paying-people-fairly-for-their-time')).toMatchObject({ status: 'draft' });
  });
});
