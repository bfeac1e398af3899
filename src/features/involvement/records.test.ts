import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { meetingRegistrations } from '#src/features/groups/tables.ts';
import { createMeeting } from '#src/features/groups/meetings-test-support.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';
import { claims, involvementRecords, payees } from './tables.ts';

// Attendance recorded at a meeting becomes involvement records in the same transaction; recorded
// again, the list follows it, except that a record someone has claimed for stays; the register's
// "last involved" follows the records.
describe('involvement records from attendance', async () => {
  const { app, db } = await buildTestApp();
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const m = await createMeeting(db, {
    title: 'March panel',
    startsAt: new Date('2026-03-04T10:00:00Z'),
    endsAt: new Date('2026-03-04T12:00:00Z'),
  });
  const [ana, ben] = await Promise.all(['Ana Attender', 'Ben Brought'].map((n) => insertContributor(db, n)));
  const regs = await db
    .insert(meetingRegistrations)
    .values([ana!, ben!].map((p) => ({ meetingId: m.id, userId: p.id, status: 'registered' as const })))
    .returning();
  const regOf = (id: string) => String(regs.find((r) => r.userId === id)!.id);
  const path = `/admin/meetings/${m.id}/attendance`;
  const recordsOf = (userId: string) => db.select().from(involvementRecords).where(eq(involvementRecords.userId, userId));

  it('makes a record for each person who came (never for a walk-in), and moves "last involved" forward', async () => {
    const res = await lead.submit(path, path, {
      attended: [regOf(ana!.id), regOf(ben!.id)],
      [`hours-${regOf(ben!.id)}`]: '1.5',
      'walkInName-1': 'Gwen Guest',
    });
    expect(res.statusCode).toBe(303);
    const [a] = await recordsOf(ana!.id);
    expect(a).toMatchObject({
      source: 'meeting',
      sourceId: m.id,
      title: 'March panel',
      occurredOn: '2026-03-04',
      minutes: 120,
      activityKind: 'meeting',
      path: `/meetings/${m.id}`,
    });
    expect((await recordsOf(ben!.id))[0]!.minutes).toBe(90);
    expect(await db.select().from(involvementRecords).where(eq(involvementRecords.sourceId, m.id))).toHaveLength(2);
    const [profile] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, ana!.id));
    expect(profile!.lastInvolvedAt?.toISOString().slice(0, 10)).toBe('2026-03-04');
  });

  it('follows attendance recorded again, but keeps a record someone has claimed for', async () => {
    const [a] = await recordsOf(ana!.id);
    const [payee] = await db.insert(payees).values({ userId: ana!.id, reference: 'P-TEST-1', name: 'Ana Attender' }).returning();
    await db
      .insert(claims)
      .values({ recordId: a!.id, payeeId: payee!.id, userId: ana!.id, activityTitle: a!.title, activityOn: a!.occurredOn });
    await lead.submit(path, path, { attended: [regOf(ben!.id)], [`hours-${regOf(ben!.id)}`]: '2' });
    expect(await recordsOf(ana!.id)).toHaveLength(1);
    expect((await recordsOf(ben!.id))[0]!.minutes).toBe(120);
    await db.delete(claims);
    await lead.submit(path, path, { attended: [regOf(ben!.id)] });
    expect(await recordsOf(ana!.id)).toHaveLength(0);
  });
});
