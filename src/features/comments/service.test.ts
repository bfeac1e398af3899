import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { createStory, storyComments, onStory } from '#tests/helpers/factories.ts';
import { buildThread, createCommentsService } from './service.ts';
import { comments } from './tables.ts';
import type { PublicRow } from './repository.ts';
import { msg } from '#src/lib/messages.ts';
import { loadConfig } from '#src/config.ts';

// Only the minimum fill time of a configuration read from these variables.
const loadConfigFor = (env: Record<string, string>) => ({ formMinFillMs: loadConfig({ NODE_ENV: 'test', ...env }).formMinFillMs });

const { app, db, services, config } = await buildTestApp();

const publishedStory = async (overrides = {}) => (await services.stories.commentTarget({ id: (await createStory(db, overrides)).id }))!;
const oldStamp = () => services.comments.issueFormStamp(Date.now() - 10_000);
let seq = 0;
const nextIp = () => `10.1.${Math.floor(seq / 250)}.${(seq++ % 250) + 1}`;
const form = (over: Record<string, unknown> = {}) => ({
  name: 'Sam Patel',
  email: `sam.${seq++}@example.org`,
  comment: 'A thoughtful comment.',
  stamp: oldStamp(),
  ...over,
});
const rowsFor = async (storyId: number) => Number((await db.select({ n: count() }).from(comments).where(storyComments(storyId)))[0]!.n);
const approve = (id: number) => db.update(comments).set({ status: 'approved' }).where(eq(comments.id, id));
const setModeration = async (moderation: 'all' | 'first-time' | 'none') =>
  services.settings.update({ ...(await services.settings.get()), moderation });

async function addApproved(storyId: number, parentId: number | null, name: string, at: string) {
  const [row] = await db
    .insert(comments)
    .values({
      ...onStory(storyId),
      parentId,
      authorName: name,
      authorEmail: `${name.toLowerCase()}@example.org`,
      body: `Said by ${name}`,
      status: 'approved',
      createdAt: new Date(at),
    })
    .returning();
  return row!;
}

describe('buildThread', () => {
  const row = (id: number, parentId: number | null): PublicRow => ({
    id,
    targetType: 'story',
    targetId: 1,
    parentId,
    authorName: `A${id}`,
    authorJobTitle: null,
    language: 'en',
    authorOrganisation: null,
    body: 'x',
    authorIsStaff: false,
    createdAt: new Date(2026, 10, id),
  });

  it('nests replies under their parents, oldest first at every level', () => {
    const { thread, count } = buildThread([row(1, null), row(2, 1), row(3, null), row(4, 2), row(5, 1), row(6, 4)]);
    expect(count).toBe(6);
    expect(thread.map((c) => c.id)).toEqual([1, 3]);
    expect(thread[0]!.replies.map((c) => c.id)).toEqual([2, 5]);
    expect(thread[0]!.replies[0]!.replies[0]!.replies[0]!.id).toBe(6);
  });

  it('hides replies whose parent is not shown, and does not count them', () => {
    const { thread, count } = buildThread([row(1, null), row(3, 2), row(4, 3)]);
    expect(thread.map((c) => c.id)).toEqual([1]);
    expect(count).toBe(1);
  });
});

describe('threadForStory', () => {
  it('returns approved comments nested four levels deep, without emails or IP addresses', async () => {
    const story = await publishedStory();
    const a = await addApproved(story.id, null, 'Ada', '2026-11-01T10:00:00Z');
    const b = await addApproved(story.id, a.id, 'Ben', '2026-11-02T10:00:00Z');
    const c = await addApproved(story.id, b.id, 'Cal', '2026-11-03T10:00:00Z');
    await addApproved(story.id, c.id, 'Dee', '2026-11-04T10:00:00Z');
    await addApproved(story.id, null, 'Eve', '2026-10-31T10:00:00Z');
    await db
      .insert(comments)
      .values({ ...onStory(story.id), authorName: 'Pending Pat', authorEmail: 'pat@example.org', body: 'wait', status: 'pending' });
    await db
      .insert(comments)
      .values({ ...onStory(story.id), authorName: 'Rejected Rob', authorEmail: 'rob@example.org', body: 'no', status: 'rejected' });

    const { thread, count } = await services.comments.threadFor('story', story.id);
    expect(count).toBe(5);
    expect(thread.map((x) => x.authorName)).toEqual(['Eve', 'Ada']);
    expect(thread[0]!.createdAt).toEqual(new Date('2026-10-31T10:00:00Z'));
    expect(thread[1]!.replies[0]!.replies[0]!.replies[0]!.authorName).toBe('Dee');
    const json = JSON.stringify(thread);
    expect(json).not.toContain('@example.org');
    expect(json).not.toMatch(/email|ipAddress/i);
  });
});

describe('submitting a comment', () => {
  it('holds comments for approval by default and says nothing has changed publicly', async () => {
    const story = await publishedStory();
    const seen: number[] = [];
    const listener = (id: number) => seen.push(id);
    services.events.on('comments.changed', listener);
    const result = await services.comments.submit(story, form(), { ip: nextIp() });
    services.events.off('comments.changed', listener);
    expect(result.kind).toBe('pending');
    expect((await services.comments.threadFor('story', story.id)).count).toBe(0);
    expect(seen).toEqual([]);
  });

  it('publishes at once when moderation is off, and announces the change', async () => {
    await setModeration('none');
    try {
      const story = await publishedStory();
      const seen: number[] = [];
      const listener = (id: number) => seen.push(id);
      services.events.on('comments.changed', listener);
      const result = await services.comments.submit(story, form({ notifyReplies: 'yes' }), { ip: '192.0.2.50' });
      services.events.off('comments.changed', listener);
      expect(result.kind).toBe('published');
      expect(seen).toEqual([story.id]);
      const [row] = await db.select().from(comments).where(storyComments(story.id));
      expect(row).toMatchObject({ status: 'approved', notifyReplies: true, ipAddress: '192.0.2.50' });
    } finally {
      await setModeration('all');
    }
  });

  it('publishes at once for someone with an approved comment when only first-timers are moderated', async () => {
    await setModeration('first-time');
    try {
      const story = await publishedStory();
      const first = await services.comments.submit(story, form({ email: 'Regular@Example.org' }), { ip: nextIp() });
      expect(first.kind).toBe('pending');
      const second = await services.comments.submit(story, form({ email: 'regular@example.org' }), { ip: nextIp() });
      expect(second.kind).toBe('pending');
      await approve((first as { commentId: number }).commentId);
      const third = await services.comments.submit(story, form({ email: 'REGULAR@example.org' }), { ip: nextIp() });
      expect(third.kind).toBe('published');
      const stranger = await services.comments.submit(story, form({ email: 'new.person@example.org' }), { ip: nextIp() });
      expect(stranger.kind).toBe('pending');
    } finally {
      await setModeration('all');
    }
  });

  it('accepts a reply to an approved comment on the same story only', async () => {
    const story = await publishedStory();
    const other = await publishedStory();
    const parent = await addApproved(story.id, null, 'Parent', '2026-11-01T10:00:00Z');
    const elsewhere = await addApproved(other.id, null, 'Elsewhere', '2026-11-01T10:00:00Z');
    const [pending] = await db
      .insert(comments)
      .values({ ...onStory(story.id), authorName: 'P', authorEmail: 'p@example.org', body: 'p' })
      .returning();

    expect((await services.comments.submit(story, form({ parentId: String(parent.id) }), { ip: nextIp() })).kind).toBe('pending');
    for (const parentId of [String(elsewhere.id), String(pending!.id), '999999', 'abc']) {
      const result = await services.comments.submit(story, form({ parentId }), { ip: nextIp() });
      expect(result).toEqual({ kind: 'invalid', errors: { parentId: msg('comments.errors.parentGone') } });
    }
    expect(await rowsFor(story.id)).toBe(3);
  });

  it('allows 3 web links and refuses a fourth', async () => {
    const story = await publishedStory();
    const three = 'See https://a.example, https://b.example and https://c.example';
    expect((await services.comments.submit(story, form({ comment: three }), { ip: nextIp() })).kind).toBe('pending');
    const four = `${three} and https://d.example`;
    expect(await services.comments.submit(story, form({ comment: four }), { ip: nextIp() })).toEqual({
      kind: 'invalid',
      errors: { comment: msg('comments.form.body.links', { max: 3 }) },
    });
  });

  it('refuses comments on a story with comments closed', async () => {
    const story = await publishedStory({ commentsOpen: false });
    expect(await services.comments.submit(story, form(), { ip: nextIp() })).toEqual({ kind: 'closed' });
    expect(await rowsFor(story.id)).toBe(0);
  });
});

describe('spam and abuse', () => {
  it('turns away a filled honeypot and a missing or forged stamp', async () => {
    const story = await publishedStory();
    const cases = [form({ website: 'http://cheap-pills.example' }), form({ stamp: undefined }), form({ stamp: 'v1.abc.not-a-signature' })];
    for (const f of cases) expect((await services.comments.submit(story, f, { ip: nextIp() })).kind).toBe('refused');
    expect(await rowsFor(story.id)).toBe(0);
  });

  it('asks for a form sent too fast to be checked and sent again, storing nothing', async () => {
    const story = await publishedStory();
    const result = await services.comments.submit(story, form({ stamp: services.comments.issueFormStamp() }), { ip: nextIp() });
    expect(result).toEqual({ kind: 'invalid', errors: { stamp: msg('comments.errors.tooFast') } });
    expect(await rowsFor(story.id)).toBe(0);
  });

  it('asks for a form left open more than a day to be sent again', async () => {
    const story = await publishedStory();
    const stale = services.comments.issueFormStamp(Date.now() - 25 * 60 * 60 * 1000);
    const result = await services.comments.submit(story, form({ stamp: stale }), { ip: nextIp() });
    expect(result).toEqual({
      kind: 'invalid',
      errors: { stamp: msg('comments.errors.stampExpired') },
    });
  });

  it('takes its minimum fill time from the policy it is given', async () => {
    const story = await publishedStory();
    const quick = createCommentsService(db, {
      ...services,
      targets: services.comments.targets,
      config,
      i18n: app.featureContext.i18n,
      policy: { minFillMs: 0 },
    });
    expect((await quick.submit(story, form({ stamp: quick.issueFormStamp() }), { ip: nextIp() })).kind).toBe('pending');
  });

  it('waits as long as FORM_MIN_FILL_SECONDS says, when the site sets it', async () => {
    const story = await publishedStory();
    const patient = createCommentsService(db, {
      ...services,
      targets: services.comments.targets,
      config: { ...config, ...loadConfigFor({ FORM_MIN_FILL_SECONDS: '20' }) },
      i18n: app.featureContext.i18n,
    });
    const sentAfter = async (ms: number) =>
      (await patient.submit(story, form({ stamp: patient.issueFormStamp(Date.now() - ms) }), { ip: nextIp() })).kind;
    expect(await sentAfter(10_000)).toBe('invalid');
    expect(await sentAfter(21_000)).toBe('pending');
  });

  it('limits each IP address to 5 comments in 10 minutes', async () => {
    const story = await publishedStory();
    const ip = '198.51.100.77';
    for (let i = 0; i < 5; i++) expect((await services.comments.submit(story, form(), { ip })).kind).toBe('pending');
    expect((await services.comments.submit(story, form(), { ip })).kind).toBe('rate-limited');
    expect(await rowsFor(story.id)).toBe(5);
    expect((await services.comments.submit(story, form(), { ip: '198.51.100.78' })).kind).toBe('pending');
  });

  it('limits each email address to 10 comments an hour', async () => {
    const story = await publishedStory();
    for (let i = 0; i < 10; i++)
      expect((await services.comments.submit(story, form({ email: 'busy@example.org' }), { ip: nextIp() })).kind).toBe('pending');
    expect((await services.comments.submit(story, form({ email: 'Busy@example.org' }), { ip: nextIp() })).kind).toBe('rate-limited');
    expect(await rowsFor(story.id)).toBe(10);
  });

  it('refuses blocked email addresses and IP addresses', async () => {
    const story = await publishedStory();
    const added = await services.comments.addBlock({ kind: 'email', value: 'Spammer@Example.org' }, null);
    expect(added.kind).toBe('blocked');
    await services.comments.addBlock({ kind: 'ip', value: '203.0.113.99' }, null);
    expect((await services.comments.submit(story, form({ email: 'spammer@example.org' }), { ip: nextIp() })).kind).toBe('refused');
    expect((await services.comments.submit(story, form(), { ip: '203.0.113.99' })).kind).toBe('refused');
    expect(await rowsFor(story.id)).toBe(0);
    expect((await services.comments.submit(story, form(), { ip: nextIp() })).kind).toBe('pending');
  });
});
