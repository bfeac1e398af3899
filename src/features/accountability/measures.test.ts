import { describe, expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { diversityMonitoring } from '#src/features/profile/tables.ts';
import { createApplication, createOpportunity } from '#src/features/opportunities/test-support.ts';
import { insertGroup, insertMeeting, insertRegistration } from '#src/features/groups/calendar-test-support.ts';
import { insertClaim } from '#src/features/involvement/finance-test-support.ts';
import { insertComment, insertReview, insertReviewer, insertSections } from '#src/features/reviews/responses-test-support.ts';
import { reviewResponses } from '#src/features/reviews/tables.ts';
import { computeMeasures, measureKeys, type Measure } from './evidence-measures.ts';
import { commitments, commitmentStatuses, saidDidEntries } from './tables.ts';

// The evidence the platform computes, each measure over real rows made in the owning features'
// tables, with rows outside the period that must not count. The period is April to September 2026.
const period = { from: '2026-04-01', to: '2026-09-30' };
const inside = (day: string, hour = 12) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
const before = inside('2026-03-15');

describe('computed evidence', async () => {
  const { app, db } = await buildTestApp();
  const ctx = app.featureContext;
  const one = async (key: string): Promise<Measure> => (await computeMeasures(ctx, [key], period))[0]!;
  const figure = (m: Measure, label: string) => m.figures.find((f) => f.label === `measures.figures.${label}`)?.value;

  it('says there is nothing to count on an empty database, for every key, and leaves out unknown keys', async () => {
    const all = await computeMeasures(ctx, [...measureKeys, 'no-such.measure', 'payments.days-to-pay'], period);
    expect(all.map((m) => m.key)).toEqual([...measureKeys]);
    for (const m of all) expect(m.note).toMatch(/^measures\.notes\.(nothing|tooFew)$/);
  });

  it('counts the share of opportunities published in the period that stated payment and access support', async () => {
    await createOpportunity(db, { publishedAt: inside('2026-05-01'), support: ['training'] });
    await createOpportunity(db, { publishedAt: inside('2026-06-01'), paid: false, feePence: null, expensesCovered: ['travel'] });
    await createOpportunity(db, { publishedAt: inside('2026-07-01'), paid: false, feePence: null, accessibleFormats: 'Easy read' });
    await createOpportunity(db, { publishedAt: inside('2026-08-01'), paid: false, feePence: null });
    await createOpportunity(db, { publishedAt: before, support: ['training'] });
    await createOpportunity(db, { publishedAt: null, status: 'draft' });
    const m = await one('opportunities.payment-and-access-stated');
    expect(m.title).toBe('measures.payment-and-access-stated.title');
    expect(figure(m, 'opportunitiesPublished')).toBe(4);
    expect(figure(m, 'statedPayment')).toBe(50);
    expect(figure(m, 'statedAccess')).toBe(50);
    expect(m.note).toBeUndefined();
  });

  it('shows applicants against selected only for groups of 5 or more, folding the rest into "other or not shown"', async () => {
    const o = await createOpportunity(db, { publishedAt: inside('2026-05-01') });
    const people = await Promise.all(Array.from({ length: 9 }, (_, i) => insertContributor(db, `Applicant ${i}`)));
    for (const [i, p] of people.entries()) {
      await createApplication(db, o.id, p.id, { submittedAt: inside('2026-05-10'), selection: i < 6 ? 'selected' : 'not-selected' });
      await db.insert(diversityMonitoring).values({ userId: p.id, answers: { sex: i < 7 ? 'Female' : 'Male' } });
    }
    const m = await one('opportunities.applicant-diversity');
    expect(figure(m, 'applicants')).toBe(9);
    expect(figure(m, 'selected')).toBe(6);
    const sex = m.tables!.find((t) => t.caption === 'profile.diversity.questions.sex.legend')!;
    expect(sex.rows).toEqual([
      { label: 'profile.diversity.questions.sex.options.female', cells: [7, 6] },
      { label: 'measures.applicant-diversity.other', cells: [null, 0] },
    ]);
    // Nobody answered the age question: nothing but "other or not shown", so no table for it.
    expect(m.tables!.map((t) => t.caption)).toEqual(['profile.diversity.questions.sex.legend']);
    expect(JSON.stringify(m)).not.toContain(people[0]!.id);
  });

  it('refuses to describe fewer than 5 applicants', async () => {
    const m = await computeMeasures(ctx, ['opportunities.applicant-diversity'], { from: '2026-03-01', to: '2026-03-31' });
    expect(m[0]!.note).toBe('measures.notes.tooFew');
    expect(m[0]!.tables).toBeUndefined();
  });

  it('says so when no answer was given by 5 or more applicants', async () => {
    const o = await createOpportunity(db, { publishedAt: inside('2026-02-01') });
    for (const i of [1, 2, 3, 4, 5])
      await createApplication(db, o.id, (await insertContributor(db, `Quiet ${i}`)).id, { submittedAt: inside('2026-02-10') });
    const [m] = await computeMeasures(ctx, ['opportunities.applicant-diversity'], { from: '2026-02-01', to: '2026-02-28' });
    expect(m!.note).toBe('measures.notes.noGroups');
    expect(m!.figures.map((f) => f.value)).toEqual([5, 0]);
  });

  it('counts applicants told their outcome and the median days from closing to telling them', async () => {
    const closesAt = inside('2026-06-01');
    const o = await createOpportunity(db, { closesAt, selectionDoneAt: inside('2026-06-20'), status: 'selection-done' });
    const late = await createOpportunity(db, { closesAt, selectionDoneAt: inside('2026-10-20'), status: 'selection-done' });
    const people = await Promise.all(['Tal', 'Uma', 'Val', 'Wyn'].map((n) => insertContributor(db, n)));
    await createApplication(db, o.id, people[0]!.id, { outcomeSentAt: inside('2026-06-05') });
    await createApplication(db, o.id, people[1]!.id, { outcomeSentAt: inside('2026-06-11') });
    await createApplication(db, o.id, people[2]!.id, { outcomeSentAt: null });
    await createApplication(db, o.id, people[3]!.id, { state: 'draft', submittedAt: null });
    await createApplication(db, late.id, people[0]!.id, { outcomeSentAt: inside('2026-10-30') });
    const m = await one('opportunities.outcome-told');
    expect(figure(m, 'applicants')).toBe(3);
    expect(figure(m, 'toldOutcome')).toBe(67);
    expect(figure(m, 'medianDaysToTell')).toBe(7);
  });

  it('counts access requests arranged before the meeting started', async () => {
    const g = await insertGroup(db);
    const held = await insertMeeting(db, { groupId: g.id, startsAt: inside('2026-07-01', 14) });
    const cancelled = await insertMeeting(db, { groupId: g.id, startsAt: inside('2026-07-02'), status: 'cancelled' });
    const [a, b, c] = await Promise.all(['Ann', 'Bob', 'Cat'].map((n) => insertContributor(db, n)));
    await insertRegistration(db, held.id, a!.id, {}, [{ need: 'bsl', arrangedAt: inside('2026-06-20') }, { need: 'large-print' }]);
    await insertRegistration(db, held.id, b!.id, {}, [{ need: 'hearing-loop', arrangedAt: inside('2026-07-01', 15) }]);
    await insertRegistration(db, held.id, c!.id, {}, [{ need: 'step-free', arrangedAt: inside('2026-06-30') }]);
    await insertRegistration(db, cancelled.id, a!.id, {}, [{ need: 'bsl' }]);
    const m = await one('meetings.access-requests-arranged');
    expect(figure(m, 'accessRequests')).toBe(4);
    expect(figure(m, 'arrangedBefore')).toBe(50);
  });

  it('counts published "you said, we did" entries per group', async () => {
    const entry = (slug: string, happenedOn: string, groupName: string | null, published = true) => ({
      slug,
      title: slug,
      youSaidMarkdown: 'x',
      youSaidHtml: 'x',
      weDidMarkdown: 'y',
      weDidHtml: 'y',
      source: 'other' as const,
      groupName,
      happenedOn,
      publishedAt: published ? new Date() : null,
    });
    await db
      .insert(saidDidEntries)
      .values([
        entry('a', '2026-05-01', 'Carers panel'),
        entry('b', '2026-06-01', 'Carers panel'),
        entry('c', '2026-07-01', 'Young people’s group'),
        entry('d', '2026-08-01', null),
        entry('e', '2026-08-02', 'Carers panel', false),
        entry('f', '2025-08-02', 'Carers panel'),
      ]);
    const m = await one('said-did.entries-per-group');
    expect(m.figures).toEqual([
      { label: 'measures.figures.entries', value: 4, unit: 'count' },
      { label: 'measures.figures.entriesForGroup', value: 2, unit: 'count', values: { group: 'Carers panel' } },
      { label: 'measures.figures.entriesForGroup', value: 1, unit: 'count', values: { group: 'Young people’s group' } },
      { label: 'measures.figures.entriesNoGroup', value: 1, unit: 'count' },
    ]);
  });

  it('takes the median days from activity to payment for claims paid in the period', async () => {
    const p = await insertContributor(db, 'Payee Person');
    await insertClaim(db, p, { status: 'paid', activityOn: '2026-05-01', paidOn: '2026-05-11' });
    await insertClaim(db, p, { status: 'paid', activityOn: '2026-05-01', paidOn: '2026-05-21' });
    await insertClaim(db, p, { status: 'paid', activityOn: '2026-02-01', paidOn: '2026-03-01' });
    await insertClaim(db, p, { status: 'approved', activityOn: '2026-05-01' });
    const m = await one('payments.days-to-pay');
    expect(figure(m, 'claimsPaid')).toBe(2);
    expect(figure(m, 'medianDaysToPay')).toBe(15);
  });

  it('counts review comments answered, in reviews closed in the period, from sent reviews only', async () => {
    const review = await insertReview(db, { state: 'closed', closedAt: inside('2026-06-01') });
    const [section] = await insertSections(db, review.id, ['Introduction']);
    const [x, y, z] = await Promise.all(['Xen', 'Yan', 'Zed'].map((n) => insertContributor(db, n)));
    const sent = [await insertReviewer(db, review.id, x!.id), await insertReviewer(db, review.id, y!.id)];
    const unsent = await insertReviewer(db, review.id, z!.id, { state: 'accepted' });
    const answered = await insertComment(db, review.id, section!.id, sent[0]!.id, 'Clearer, please.');
    await insertComment(db, review.id, section!.id, sent[1]!.id, 'Shorter.');
    await insertComment(db, review.id, section!.id, unsent.id, 'A draft never sent.');
    await db.insert(reviewResponses).values({ commentId: answered.id, outcome: 'changed', reason: 'Done.' });
    const m = await one('reviews.comments-answered');
    expect(figure(m, 'reviewComments')).toBe(2);
    expect(figure(m, 'answered')).toBe(50);
  });

  it('counts published commitments by the category of their status', async () => {
    const statuses = await db
      .insert(commitmentStatuses)
      .values([
        { key: 't-on', name: 'In progress', category: 'on-track' as const },
        { key: 't-risk', name: 'At risk', category: 'at-risk' as const },
      ])
      .returning();
    const c = (slug: string, statusId: number, publishedAt: Date | null) => ({ slug, title: slug, statusId, publishedAt });
    await db
      .insert(commitments)
      .values([
        c('one', statuses[0]!.id, inside('2026-05-01')),
        c('two', statuses[0]!.id, inside('2026-05-01')),
        c('three', statuses[1]!.id, inside('2026-05-01')),
        c('draft', statuses[1]!.id, null),
        c('later', statuses[1]!.id, inside('2026-12-01')),
      ]);
    const m = await one('commitments.on-track');
    expect(figure(m, 'commitments')).toBe(3);
    expect(figure(m, 'commitmentsIn.on-track')).toBe(2);
    expect(figure(m, 'commitmentsIn.at-risk')).toBe(1);
    expect(figure(m, 'commitmentsIn.done')).toBe(0);
  });
});
