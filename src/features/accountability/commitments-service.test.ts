import { describe, expect, it } from 'vitest';
import { buildTestApp, createStaff } from '#tests/helpers/app.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { rollupOf } from './commitments-rollup.ts';
import { commitmentForm, historyOf, makeCommitment, rowOf, statusId } from './commitments-test-support.ts';
import { eq } from 'drizzle-orm';
import { commitments, commitmentStatuses } from './tables.ts';

describe('commitments: the rules, in the service', async () => {
  const { app, db, services } = await buildTestApp();
  const account = await createStaff(app, 'staff');
  const staff: CurrentUser = { id: account.id, name: 'Test staff', email: account.email, role: 'staff', jobTitle: null };
  const make = (over: Record<string, string> = {}) => makeCommitment(services, db, staff, over);
  const setProgress = async (id: number, progress: number, key = 'in-progress') =>
    services.commitments.changeStatus(staff, id, { statusId: String(await statusId(db, key)), progress: String(progress) });

  it('starts with the six default statuses, once, with Welsh names', async () => {
    const rows = await db.select().from(commitmentStatuses);
    expect(rows.map((r) => r.key).sort()).toEqual(['at-risk', 'delayed', 'done', 'dropped', 'in-progress', 'not-started']);
    expect(rows.find((r) => r.key === 'dropped')).toMatchObject({ requiresReason: true, category: 'dropped' });
    expect(rows.find((r) => r.key === 'done')).toMatchObject({ defaultProgress: 100 });
    expect(rows.every((r) => r.translations?.cy?.name)).toBe(true);
  });

  it('computes the plain and the weighted average', () => {
    expect(
      rollupOf(
        [
          { progress: 100, weight: 1 },
          { progress: 0, weight: 3 },
        ],
        'average',
      ),
    ).toBe(50);
    expect(
      rollupOf(
        [
          { progress: 100, weight: 1 },
          { progress: 0, weight: 3 },
        ],
        'weighted',
      ),
    ).toBe(25);
    expect(rollupOf([], 'average')).toBeNull();
  });

  it("rolls a child's progress up through two levels, keeping history with the cause", async () => {
    const top = await make({ title: 'Top' });
    const middle = await make({ title: 'Middle', parentId: String(top.id) });
    await make({ parentId: String(middle.id), progress: '40' });
    const b = await make({ parentId: String(middle.id), progress: '0' });
    expect((await rowOf(db, middle.id)).progress).toBe(20);
    expect((await rowOf(db, top.id)).progress).toBe(20);
    expect((await setProgress(b.id, 80)).ok).toBe(true);
    expect((await rowOf(db, middle.id)).progress).toBe(60);
    expect((await rowOf(db, top.id)).progress).toBe(60);
    const topHistory = await historyOf(db, top.id);
    expect(topHistory.map((h) => h.cause).sort()).toEqual(['created', 'rollup', 'rollup', 'rollup']);
    expect(topHistory.find((h) => h.toProgress === 60)).toMatchObject({ cause: 'rollup', fromProgress: 20 });
    expect((await historyOf(db, b.id)).find((h) => h.cause === 'staff')).toMatchObject({
      fromProgress: 0,
      toProgress: 80,
      changedBy: staff.id,
    });
    // The public list nests each level under its parent.
    for (const c of [top, middle, b]) await services.commitments.setPublished(staff, c.id, true);
    const page = (await app.inject('/commitments')).body;
    expect(page).toMatch(/<h2[^>]*><a href="\/commitments\/top">Top<\/a><\/h2>/);
    expect(page).toMatch(/<h3[^>]*><a href="\/commitments\/middle">Middle<\/a><\/h3>/);
    expect(page).toMatch(new RegExp(`<h4[^>]*><a href="/commitments/${b.slug}">`));
  });

  it('weights children by their weight when the parent asks for it, and leaves dropped children out', async () => {
    const parent = await make({ title: 'Weighted parent', rollup: 'weighted' });
    const heavy = await make({ parentId: String(parent.id), progress: '100', weight: '3' });
    await make({ parentId: String(parent.id), progress: '0', weight: '1' });
    expect((await rowOf(db, parent.id)).progress).toBe(75);
    const dropped = await services.commitments.changeStatus(staff, heavy.id, {
      statusId: String(await statusId(db, 'dropped')),
      reason: 'Merged',
    });
    expect(dropped.ok).toBe(true);
    expect((await rowOf(db, parent.id)).progress).toBe(0);
  });

  it('moves a commitment to a status’s default progress unless staff typed one', async () => {
    const c = await make({ progress: '30' });
    await services.commitments.changeStatus(staff, c.id, { statusId: String(await statusId(db, 'done')) });
    expect((await rowOf(db, c.id)).progress).toBe(100);
    await services.commitments.changeStatus(staff, c.id, { statusId: String(await statusId(db, 'not-started')), progress: '10' });
    expect((await rowOf(db, c.id)).progress).toBe(10);
    await services.commitments.changeStatus(staff, c.id, { statusId: String(await statusId(db, 'at-risk')) });
    expect((await rowOf(db, c.id)).progress).toBe(10);
  });

  it('recomputes both parents when a child moves, and refuses to make a commitment its own descendant', async () => {
    const first = await make({ title: 'First parent' });
    const second = await make({ title: 'Second parent' });
    const child = await make({ parentId: String(first.id), progress: '100' });
    await make({ parentId: String(first.id), progress: '0' });
    expect((await rowOf(db, first.id)).progress).toBe(50);
    const moved = await services.commitments.update(
      child.id,
      await commitmentForm(db, { title: 'Moved child', parentId: String(second.id) }),
    );
    expect(moved.ok).toBe(true);
    expect((await rowOf(db, first.id)).progress).toBe(0);
    expect((await rowOf(db, second.id)).progress).toBe(100);

    const grandchild = await make({ parentId: String(child.id) });
    const before = await rowOf(db, second.id);
    for (const parentId of [child.id, grandchild.id, second.id]) {
      const result = await services.commitments.update(
        second.id,
        await commitmentForm(db, { title: 'Second parent', parentId: String(parentId) }),
      );
      expect(result.ok ? null : result.errors.parentId).toMatch(/parentLoop/);
    }
    expect(await rowOf(db, second.id)).toEqual(before);
  });

  describe('bad input: clear errors, nothing changed', () => {
    it.each([
      ['progress above 100', { progress: '101' }, 'progress'],
      ['progress below 0', { progress: '-1' }, 'progress'],
      ['progress not a number', { progress: 'half' }, 'progress'],
      [
        'due before start',
        { 'startsOn-day': '2', 'startsOn-month': '3', 'startsOn-year': '2027', 'dueOn-day': '1', 'dueOn-month': '3', 'dueOn-year': '2027' },
        'dueOn',
      ],
      ['a date that does not exist', { 'dueOn-day': '31', 'dueOn-month': '2', 'dueOn-year': '2027' }, 'dueOn'],
      ['no title', { title: '' }, 'title'],
      ['a parent that does not exist', { parentId: '999999' }, 'parentId'],
      ['a weight of 0', { weight: '0' }, 'weight'],
    ])('refuses %s', async (_name, over, field) => {
      const count = (await db.select().from(commitmentStatuses)).length;
      const result = await services.commitments.create(staff, await commitmentForm(db, { title: 'Refused one', ...over }));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors)).toContain(field);
      expect((await services.commitments.options()).some((o) => o.title === 'Refused one')).toBe(false);
      expect((await db.select().from(commitmentStatuses)).length).toBe(count);
    });

    it('refuses dropping without a reason, changing nothing', async () => {
      const c = await make({ progress: '20' });
      const before = await rowOf(db, c.id);
      const result = await services.commitments.changeStatus(staff, c.id, { statusId: String(await statusId(db, 'dropped')) });
      expect(result.ok ? null : result.errors.reason).toMatch(/reasonRequired/);
      expect(await rowOf(db, c.id)).toEqual(before);
      expect((await historyOf(db, c.id)).length).toBe(1);
    });

    it('refuses progress typed on a commitment with children, and out-of-range progress', async () => {
      const parent = await make();
      await make({ parentId: String(parent.id), progress: '50' });
      expect((await setProgress(parent.id, 10)).ok).toBe(false);
      const leaf = await make();
      const result = await setProgress(leaf.id, 150);
      expect(result.ok ? null : result.errors.progress).toMatch(/progress/);
      expect((await rowOf(db, parent.id)).progress).toBe(50);
    });
  });

  it('makes a draft from an assessment action, and counts published commitments by category', async () => {
    const draft = await services.commitments.createDraftFromAction(staff, {
      title: 'From an action',
      promiseMarkdown: 'Do it',
      dueOn: null,
      tags: ['standards'],
    });
    expect((await rowOf(db, draft.id)).publishedAt).toBeNull();
    const before = await services.commitments.onTrackFigures();
    await services.commitments.setPublished(staff, draft.id, true);
    const after = await services.commitments.onTrackFigures();
    expect(after.total).toBe(before.total + 1);
    expect(after.byCategory['not-started']).toBe(before.byCategory['not-started'] + 1);
    expect(await services.commitments.commentTarget({ slug: draft.slug })).toMatchObject({ type: 'commitment', id: draft.id });
    await services.commitments.setPublished(staff, draft.id, false);
    expect(await services.commitments.commentTarget({ slug: draft.slug })).toBeNull();
  });

  it('counts, for the staff home, commitments past their due date and those with no news in six months', async () => {
    const before = await services.commitments.needingAttention();
    const late = await make({ 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2025' });
    await services.commitments.setPublished(staff, late.id, true);
    await db
      .update(commitments)
      .set({ publishedAt: new Date(Date.now() - 300 * 86_400_000), createdAt: new Date(Date.now() - 300 * 86_400_000) })
      .where(eq(commitments.id, late.id));
    expect(await services.commitments.needingAttention()).toEqual({ overdue: before.overdue + 1, stale: before.stale + 1 });
    await setProgress(late.id, 10);
    expect((await services.commitments.needingAttention()).stale).toBe(before.stale);
    await services.commitments.changeStatus(staff, late.id, { statusId: String(await statusId(db, 'done')) });
    expect((await services.commitments.needingAttention()).overdue).toBe(before.overdue);
  });

  it('keeps a commitment in an archived status, but moves no other commitment into it', async () => {
    const made = await services.commitments.statuses.create({ name: 'Parked', category: 'at-risk', position: '9' });
    if (!made.ok) throw new Error('status not made');
    const parked = await make({ statusId: String(made.value), progress: '20' });
    await services.commitments.statuses.setArchived(made.value, true);
    expect((await services.commitments.changeStatus(staff, parked.id, { statusId: String(made.value), progress: '25' })).ok).toBe(true);
    const other = await make();
    const refused = await services.commitments.changeStatus(staff, other.id, { statusId: String(made.value) });
    expect(refused.ok ? null : refused.errors.statusId).toMatch(/statusId/);
  });
});
