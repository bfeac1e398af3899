import { describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory, onStory } from '#tests/helpers/factories.ts';
import { blockedSenders, commentReports, comments } from './tables.ts';

const { app, db, services } = await buildTestApp({ trustProxy: true });
const { browser: staffBrowser, staff } = await signedInBrowser(app);

async function addComment(storyId: number, values: Partial<typeof comments.$inferInsert> = {}) {
  const [row] = await db
    .insert(comments)
    .values({
      ...onStory(storyId),
      authorName: 'Ada Lovelace',
      authorEmail: 'ada@example.org',
      body: 'A comment',
      ipAddress: '192.0.2.1',
      ...values,
    })
    .returning();
  return row!;
}
const statusOf = async (id: number) => (await db.select({ s: comments.status }).from(comments).where(eq(comments.id, id)))[0]?.s;

function watchChanges() {
  const seen: number[] = [];
  const listener = (id: number) => seen.push(id);
  services.events.on('comments.changed', listener);
  return { seen, stop: () => services.events.off('comments.changed', listener) };
}

describe('who can moderate', () => {
  it('sends people who are not signed in to sign in, for every page', async () => {
    for (const url of ['/admin/comments', '/admin/comments?status=spam', '/admin/comments/blocked', '/admin/comments/1/reply']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toContain('/sign-in');
    }
  });

  it('refuses actions without a CSRF token, changing nothing', async () => {
    const story = await createStory(db);
    const c = await addComment(story.id);
    const res = await staffBrowser.post(`/admin/comments/${c.id}/approve`, { status: 'pending' });
    expect(res.statusCode).toBe(403);
    expect(await statusOf(c.id)).toBe('pending');
    const bulk = await staffBrowser.post('/admin/comments/bulk', { action: 'approve', ids: String(c.id) });
    expect(bulk.statusCode).toBe(403);
    expect(await statusOf(c.id)).toBe('pending');
  });

  it('is listed in the staff area', async () => {
    const res = await staffBrowser.get('/admin');
    expect(res.body).toContain('href="/admin/comments"');
  });
});

describe('the moderation queue', () => {
  it('lists pending comments with everything staff need, and counts each status', async () => {
    const story = await createStory(db, { title: 'Queue story' });
    const parent = await addComment(story.id, { status: 'approved', authorName: 'Parent Person', body: 'The original point' });
    const c = await addComment(story.id, {
      parentId: parent.id,
      authorName: 'Queue Quentin',
      authorJobTitle: 'Nurse',
      authorOrganisation: 'Riverside Trust',
      authorEmail: 'quentin@example.org',
      ipAddress: '198.51.100.5',
      body: '<script>alert(1)</script>',
    });
    const res = await staffBrowser.get('/admin/comments');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.match(/<h1/g)).toHaveLength(1);
    expect(res.body).toMatch(/aria-current="page">Pending <span class="app-subnav__count">\(\d+\)<\/span>/);
    for (const text of [
      'Reported',
      'Approved',
      'Rejected',
      'Spam',
      'Queue Quentin',
      'Nurse, Riverside Trust',
      'quentin@example.org',
      '198.51.100.5',
      'The original point',
      'Parent Person',
      `href="/stories/${story.slug}">Queue story</a>`,
    ]) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain(`action="/admin/comments/${c.id}/approve"`);
    expect(res.body).toContain(`id="select-${c.id}" name="ids" type="checkbox" value="${c.id}" form="bulk-actions"`);
    for (const button of [
      'Approve',
      'Reject',
      'Mark as spam',
      'Approve selected',
      'Reject selected',
      'Mark selected as spam',
      'Block email address',
      'Block IP address',
    ]) {
      expect(res.body).toContain(`>${button}<`);
    }
    expect(res.body).toContain(`href="/admin/comments/${c.id}/reply"`);
  });

  it('approves, rejects and marks as spam, recording who and when, and announces public changes', async () => {
    const story = await createStory(db);
    const a = await addComment(story.id);
    const b = await addComment(story.id);
    const c = await addComment(story.id);
    const changes = watchChanges();
    const approved = await staffBrowser.submit('/admin/comments', `/admin/comments/${a.id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe('/admin/comments?status=pending&done=approve&n=1');
    const after = await staffBrowser.get(approved.headers.location!);
    expect(after.body).toContain('nhsuk-notification-banner--success');
    expect(after.body).toContain('Comment approved');
    await staffBrowser.submit('/admin/comments', `/admin/comments/${b.id}/reject`, {});
    await staffBrowser.submit('/admin/comments', `/admin/comments/${c.id}/spam`, {});
    changes.stop();
    const rows = await db
      .select()
      .from(comments)
      .where(inArray(comments.id, [a.id, b.id, c.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [a.id]: 'approved', [b.id]: 'rejected', [c.id]: 'spam' });
    for (const r of rows) {
      expect(r.moderatedBy).toBe(staff.id);
      expect(r.moderatedAt).toBeInstanceOf(Date);
    }
    // Only approving changed what the public sees.
    expect(changes.seen).toEqual([story.id]);
    expect((await services.comments.threadFor('story', story.id)).count).toBe(1);

    const taken = await staffBrowser.submit('/admin/comments?status=approved', `/admin/comments/${a.id}/reject`, {});
    expect(taken.headers.location).toContain('status=approved');
    expect((await services.comments.threadFor('story', story.id)).count).toBe(0);
  });

  it('acts on several selected comments at once', async () => {
    const story = await createStory(db);
    const picked = [await addComment(story.id), await addComment(story.id), await addComment(story.id)];
    const left = await addComment(story.id);
    const res = await staffBrowser.submit('/admin/comments', '/admin/comments/bulk', {
      action: 'approve',
      ids: picked.map((p) => String(p.id)),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/comments?status=pending&done=approve&n=3');
    expect((await staffBrowser.get(res.headers.location!)).body).toContain('3 comments approved');
    for (const p of picked) expect(await statusOf(p.id)).toBe('approved');
    expect(await statusOf(left.id)).toBe('pending');

    const spam = await staffBrowser.submit('/admin/comments?status=approved', '/admin/comments/bulk', {
      action: 'spam',
      ids: [String(picked[0]!.id)],
    });
    expect(spam.headers.location).toBe('/admin/comments?status=approved&done=spam&n=1');
    expect(await statusOf(picked[0]!.id)).toBe('spam');

    const none = await staffBrowser.submit('/admin/comments', '/admin/comments/bulk', { action: 'reject' });
    expect(none.headers.location).toContain('done=none-selected');
    expect((await staffBrowser.get(none.headers.location!)).body).toContain('Select at least one comment');
  });

  it('shows each tab with its own comments', async () => {
    const story = await createStory(db);
    await addComment(story.id, { status: 'spam', authorName: 'Spammy Sam' });
    const spamTab = await staffBrowser.get('/admin/comments?status=spam');
    expect(spamTab.body).toContain('Spammy Sam');
    expect(spamTab.body).toMatch(/aria-current="page">Spam/);
    const pendingTab = await staffBrowser.get('/admin/comments');
    expect(pendingTab.body).not.toContain('Spammy Sam');
  });
});

describe('reports', () => {
  it('lists reported comments with their reasons; dismissing keeps the comment, rejecting takes it down', async () => {
    const story = await createStory(db);
    const kept = await addComment(story.id, { status: 'approved', authorName: 'Kept Kim' });
    const removed = await addComment(story.id, { status: 'approved', authorName: 'Removed Rae' });
    for (const id of [kept.id, removed.id]) {
      const url = `/comments/${id}/report`;
      const res = await new Browser(app).submit(
        url,
        url,
        { reason: 'personal-information', details: 'Names a patient' },
        { 'x-forwarded-for': `192.0.2.${id % 250}` },
      );
      expect(res.statusCode).toBe(303);
    }
    const tab = await staffBrowser.get('/admin/comments?status=reported');
    expect(tab.body).toContain('Kept Kim');
    expect(tab.body).toContain('Removed Rae');
    expect(tab.body).toContain('Shares someone&#39;s personal information');
    expect(tab.body).toContain('Names a patient');
    expect(tab.body).toContain('>Dismiss reports<');

    const dismissed = await staffBrowser.submit('/admin/comments?status=reported', `/admin/comments/${kept.id}/dismiss-reports`, {});
    expect(dismissed.headers.location).toBe('/admin/comments?status=reported&done=dismissed');
    expect(await statusOf(kept.id)).toBe('approved');

    const changes = watchChanges();
    await staffBrowser.submit('/admin/comments?status=reported', `/admin/comments/${removed.id}/reject`, {});
    changes.stop();
    expect(await statusOf(removed.id)).toBe('rejected');
    expect(changes.seen).toEqual([story.id]);

    const open = await db
      .select()
      .from(commentReports)
      .where(inArray(commentReports.commentId, [kept.id, removed.id]));
    expect(open.every((r) => r.resolvedAt && r.resolvedBy === staff.id)).toBe(true);
    const after = await staffBrowser.get('/admin/comments?status=reported');
    expect(after.body).not.toContain('Kept Kim');
    expect(after.body).not.toContain('Removed Rae');
  });
});

describe('staff replies', () => {
  it('publishes a reply at once, marked as staff with the name and job title, approving a pending parent', async () => {
    const story = await createStory(db);
    const parent = await addComment(story.id, { authorName: 'Asking Alex', body: 'When will fees be paid?' });
    const page = await staffBrowser.get(`/admin/comments/${parent.id}/reply`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reply to Asking Alex</h1>');
    expect(page.body).toContain('When will fees be paid?');
    expect(page.body).toContain('Publishing your reply also approves it');

    const empty = await staffBrowser.submit(`/admin/comments/${parent.id}/reply`, `/admin/comments/${parent.id}/reply`, { reply: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your reply');

    const changes = watchChanges();
    const res = await staffBrowser.submit(`/admin/comments/${parent.id}/reply`, `/admin/comments/${parent.id}/reply`, {
      reply: 'Within 10 working days.',
    });
    changes.stop();
    expect(res.statusCode).toBe(303);
    const [reply] = await db.select().from(comments).where(eq(comments.parentId, parent.id));
    expect(reply).toMatchObject({
      status: 'approved',
      authorIsStaff: true,
      staffUserId: staff.id,
      authorName: 'Test staff',
      authorJobTitle: 'Involvement lead',
      body: 'Within 10 working days.',
    });
    expect(res.headers.location).toBe(`/admin/comments?status=approved&done=replied&comment=${reply!.id}&story=${story.slug}`);
    const banner = await staffBrowser.get(res.headers.location!);
    expect(banner.body).toContain('Your reply has been published');
    expect(banner.body).toContain(`href="/stories/${story.slug}#comment-${reply!.id}"`);
    expect(await statusOf(parent.id)).toBe('approved');
    expect(changes.seen).toEqual([story.id]);

    const { thread } = await services.comments.threadFor('story', story.id);
    expect(thread[0]!.replies[0]).toMatchObject({ isStaff: true, authorName: 'Test staff', authorJobTitle: 'Involvement lead' });
  });

  it('cannot reply to rejected or spam comments', async () => {
    const story = await createStory(db);
    const rejected = await addComment(story.id, { status: 'rejected' });
    expect((await staffBrowser.get(`/admin/comments/${rejected.id}/reply`)).statusCode).toBe(404);
    expect((await staffBrowser.get('/admin/comments/99999999/reply')).statusCode).toBe(404);
  });
});

describe('blocking senders', () => {
  it('blocks the email address and IP address of a comment, lists blocks and unblocks', async () => {
    const story = await createStory(db);
    const c = await addComment(story.id, { authorEmail: 'blockme@example.org', ipAddress: '203.0.113.44' });
    const email = await staffBrowser.submit('/admin/comments', `/admin/comments/${c.id}/block-email`, {});
    expect(email.headers.location).toBe('/admin/comments?status=pending&done=blocked-email');
    const ip = await staffBrowser.submit('/admin/comments', `/admin/comments/${c.id}/block-ip`, {});
    expect(ip.headers.location).toBe('/admin/comments?status=pending&done=blocked-ip');
    const again = await staffBrowser.submit('/admin/comments', `/admin/comments/${c.id}/block-ip`, {});
    expect(again.headers.location).toContain('done=already-blocked');

    const queue = await staffBrowser.get('/admin/comments');
    expect(queue.body).toMatch(/blockme@example\.org <strong class="nhsuk-tag nhsuk-tag--red">Blocked<\/strong>/);

    const list = await staffBrowser.get('/admin/comments/blocked');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('blockme@example.org');
    expect(list.body).toContain('203.0.113.44');
    const rows = await db.select().from(blockedSenders).where(eq(blockedSenders.value, 'blockme@example.org'));
    expect(rows[0]!.createdBy).toBe(staff.id);
    const unblocked = await staffBrowser.submit('/admin/comments/blocked', `/admin/comments/blocked/${rows[0]!.id}/unblock`, {});
    expect(unblocked.headers.location).toBe('/admin/comments/blocked?done=unblocked');
    expect((await staffBrowser.get('/admin/comments/blocked')).body).not.toContain('blockme@example.org');
  });

  it('marks as spam and blocks the sender in one go', async () => {
    const story = await createStory(db);
    const c = await addComment(story.id, { authorEmail: 'spam.and.block@example.org', ipAddress: '203.0.113.45' });
    const res = await staffBrowser.submit('/admin/comments', `/admin/comments/${c.id}/spam`, { block: 'yes' });
    expect(res.headers.location).toContain('done=spam-blocked');
    expect(await statusOf(c.id)).toBe('spam');
    const values = (await db.select().from(blockedSenders)).map((b) => b.value);
    expect(values).toEqual(expect.arrayContaining(['spam.and.block@example.org', '203.0.113.45']));
  });

  it('blocks an address typed in by staff, checking it first', async () => {
    const bad = await staffBrowser.submit('/admin/comments/blocked', '/admin/comments/blocked', { kind: 'ip', value: 'not-an-ip' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter an IP address in the correct format');
    const none = await staffBrowser.submit('/admin/comments/blocked', '/admin/comments/blocked', { value: 'x@example.org' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select what to block');
    const ok = await staffBrowser.submit('/admin/comments/blocked', '/admin/comments/blocked', {
      kind: 'email',
      value: 'Typed@Example.org',
      reason: 'Abusive emails',
    });
    expect(ok.headers.location).toBe('/admin/comments/blocked?done=blocked-email');
    const page = await staffBrowser.get(ok.headers.location!);
    expect(page.body).toContain('typed@example.org');
    expect(page.body).toContain('Abusive emails');
  });
});
