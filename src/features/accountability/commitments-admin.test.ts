import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { commitmentForm, historyOf, rowOf, statusId } from './commitments-test-support.ts';
import { commitmentMilestones, commitments, commitmentStatuses } from './tables.ts';

describe('commitments: the staff pages', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: staff } = await signedInBrowser(app, 'staff');
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const idFrom = (location: unknown) => Number(/\/admin\/commitments\/(\d+)/.exec(String(location))![1]);
  const count = async () => (await db.select().from(commitments)).length;
  const mailTo = async (to: string) =>
    (await db.select().from(mailMessages).where(eq(mailMessages.toAddress, to))).sort((a, b) => a.id - b.id);
  const create = async (over: Record<string, string> = {}) => {
    const res = await staff.submit('/admin/commitments/new', '/admin/commitments/new', await commitmentForm(db, over));
    expect(res.statusCode, res.body.slice(0, 0)).toBe(303);
    return idFrom(res.headers.location);
  };

  it('are for staff only; statuses for admins only', async () => {
    const visitor = new Browser(app);
    expect((await visitor.get('/admin/commitments')).statusCode).not.toBe(200);
    expect((await staff.get('/admin/commitments')).statusCode).toBe(200);
    expect((await staff.get('/admin/commitments/statuses')).statusCode).toBe(403);
    expect((await admin.get('/admin/commitments/statuses')).statusCode).toBe(200);
  });

  it('creates a commitment with Welsh fields, Markdown made safe, tags and a named member of staff', async () => {
    const people = await services.identity.staff.list(1, 10);
    const id = await create({
      title: 'Co-design a service a year',
      title_cy: 'Cyd-ddylunio gwasanaeth bob blwyddyn',
      promise: 'We will **co-design**. <script>alert(1)</script>',
      tags: 'Design, strategy, design',
      responsibleUserId: people.items[0]!.id,
      'dueOn-day': '31',
      'dueOn-month': '3',
      'dueOn-year': '2027',
    });
    const row = await rowOf(db, id);
    expect(row).toMatchObject({
      title: 'Co-design a service a year',
      tags: ['design', 'strategy'],
      dueOn: '2027-03-31',
      publishedAt: null,
    });
    expect(row.promiseHtml).toContain('<strong>co-design</strong>');
    expect(row.promiseHtml).not.toContain('<script');
    expect(row.translations).toMatchObject({ cy: { title: 'Cyd-ddylunio gwasanaeth bob blwyddyn' } });
    expect((await staff.get(`/admin/commitments/${id}`)).body).toContain('Co-design a service a year');
  });

  it('shows every mistake in the error summary and saves nothing', async () => {
    const before = await count();
    const res = await staff.submit(
      '/admin/commitments/new',
      '/admin/commitments/new',
      await commitmentForm(db, {
        title: '',
        progress: '140',
        'startsOn-day': '2',
        'startsOn-month': '5',
        'startsOn-year': '2027',
        'dueOn-day': '1',
        'dueOn-month': '5',
        'dueOn-year': '2027',
      }),
    );
    expect(res.statusCode).toBe(400);
    for (const href of ['#title', '#progress', '#dueOn']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('The due date must be the same as or after the start date');
    expect(res.body).toContain('Enter progress as a whole number from 0 to 100');
    expect(await count()).toBe(before);
  });

  it('refuses a parent under its own child on the edit form', async () => {
    const parent = await create({ title: 'Loop parent' });
    const child = await create({ title: 'Loop child', parentId: String(parent) });
    const form = await commitmentForm(db, { title: 'Loop parent', parentId: String(child) });
    const res = await staff.submit(`/admin/commitments/${parent}/edit`, `/admin/commitments/${parent}/edit`, form);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('A commitment cannot be part of itself or of a commitment under it');
    expect((await rowOf(db, parent)).parentId).toBeNull();
  });

  it('publishes (audited), changes status with a reason, and refuses dropping without one', async () => {
    const id = await create({ title: 'Publish and drop me' });
    expect((await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/publish`, {})).statusCode).toBe(303);
    expect((await rowOf(db, id)).publishedAt).not.toBeNull();
    expect((await db.select().from(auditEvents).where(eq(auditEvents.action, 'commitment.published'))).length).toBe(1);
    const dropped = String(await statusId(db, 'dropped'));
    const refused = await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/status`, { statusId: dropped, progress: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#reason"');
    expect((await historyOf(db, id)).length).toBe(1);
    const ok = await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/status`, {
      statusId: dropped,
      reason: 'Merged into another',
    });
    expect(ok.statusCode).toBe(303);
    expect(await rowOf(db, id)).toMatchObject({ statusId: Number(dropped), statusReason: 'Merged into another' });
    expect((await app.inject('/commitments/publish-and-drop-me')).body).toContain('Merged into another');
  });

  it('adds, ticks off and removes milestones', async () => {
    const id = await create();
    const bad = await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/milestones`, { title: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#milestone-title"');
    const add = await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/milestones`, {
      title: 'Draft shared',
      'plannedOn-day': '1',
      'plannedOn-month': '6',
      'plannedOn-year': '2027',
    });
    expect(add.statusCode).toBe(303);
    const [m] = await db.select().from(commitmentMilestones).where(eq(commitmentMilestones.commitmentId, id));
    await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/milestones/${m!.id}/done`, {});
    expect((await db.select().from(commitmentMilestones).where(eq(commitmentMilestones.id, m!.id)))[0]!.doneOn).not.toBeNull();
    await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/milestones/${m!.id}/remove`, {});
    expect(await db.select().from(commitmentMilestones).where(eq(commitmentMilestones.id, m!.id))).toEqual([]);
  });

  it('publishes an update and emails each confirmed follower once, in their language, with a one-click unsubscribe', async () => {
    const id = await create({ title: 'Followed commitment' });
    await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/publish`, {});
    const target = (await services.commitments.commentTarget({ id }))!;
    const follows = services.newsletters.follows;
    // Two readers ask to follow; Welsh confirms, English never does.
    expect((await follows.request(target, { email: 'darllenydd@example.org' }, 'cy')).ok).toBe(true);
    expect((await follows.request(target, { email: 'pending@example.org' }, 'en')).ok).toBe(true);
    const [confirmation] = await mailTo('darllenydd@example.org');
    const token = /\/follow\/confirm\/([A-Za-z0-9_-]+)/.exec(confirmation!.textBody)![1]!;
    expect((await follows.confirm(token)).kind).toBe('confirmed');

    const res = await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/updates`, {
      title: 'Halfway there',
      body: 'We have *met* twice.',
    });
    expect(res.statusCode).toBe(303);
    const updates = (await mailTo('darllenydd@example.org')).filter((m) => m.kind === 'follow-update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.subject).toContain('Followed commitment');
    expect(updates[0]!.textBody).toContain('http://localhost:3000/commitments/followed-commitment');
    expect(updates[0]!.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect((await mailTo('pending@example.org')).filter((m) => m.kind === 'follow-update')).toHaveLength(0);

    // A status change tells followers only when staff tick the box.
    await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/status`, {
      statusId: String(await statusId(db, 'in-progress')),
      progress: '20',
    });
    await staff.submit(`/admin/commitments/${id}`, `/admin/commitments/${id}/status`, {
      statusId: String(await statusId(db, 'at-risk')),
      progress: '30',
      notify: 'yes',
    });
    const after = (await mailTo('darllenydd@example.org')).filter((m) => m.kind === 'follow-update');
    expect(after).toHaveLength(2);
    expect(after.map((m) => m.subject).join(' ')).toContain('Cynnydd ar ein hymrwymiad');
    expect(await follows.count({ type: 'commitment', id })).toBe(1);
  });

  it('lets admins add, rename and archive statuses', async () => {
    const bad = await admin.submit('/admin/commitments/statuses', '/admin/commitments/statuses', {
      name: '',
      category: 'nonsense',
      defaultProgress: '200',
    });
    expect(bad.statusCode).toBe(400);
    for (const href of ['#name', '#category', '#defaultProgress']) expect(bad.body).toContain(`href="${href}"`);
    const add = await admin.submit('/admin/commitments/statuses', '/admin/commitments/statuses', {
      name: 'Paused',
      name_cy: 'Wedi oedi',
      category: 'at-risk',
      defaultProgress: '',
      position: '7',
    });
    expect(add.statusCode).toBe(303);
    const [paused] = await db.select().from(commitmentStatuses).where(eq(commitmentStatuses.key, 'paused'));
    expect(paused).toMatchObject({
      name: 'Paused',
      category: 'at-risk',
      defaultProgress: null,
      translations: { cy: { name: 'Wedi oedi' } },
    });
    await admin.submit(`/admin/commitments/statuses/${paused!.id}`, `/admin/commitments/statuses/${paused!.id}`, {
      name: 'On hold',
      category: 'at-risk',
      requiresReason: 'yes',
      position: '7',
    });
    await admin.submit('/admin/commitments/statuses', `/admin/commitments/statuses/${paused!.id}/archive`, {});
    const [after] = await db.select().from(commitmentStatuses).where(eq(commitmentStatuses.id, paused!.id));
    expect(after).toMatchObject({ name: 'On hold', requiresReason: true });
    expect(after!.archivedAt).not.toBeNull();
    expect((await staff.get('/admin/commitments/new')).body).not.toContain('On hold');
  });
});
