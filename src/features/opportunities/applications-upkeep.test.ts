import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { applications, opportunities } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

// What happens to applications after they are sent: the contact's daily digest on a busy day, and
// the retention rule that erases them a while after the opportunity is archived.
describe('applications over time', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });

  it("sends the contact one digest for a busy day's applications beyond the first few, once", async () => {
    const o = await createOpportunity(db, { contactEmail: 'busy-lead@example.org' });
    const quiet = await createOpportunity(db, { contactEmail: 'quiet-lead@example.org' });
    const day = '2026-03-02';
    const at = (h: number) => new Date(`${day}T${String(h).padStart(2, '0')}:00:00Z`);
    for (let i = 0; i < 5; i++) {
      const person = await insertContributor(db, `Applicant ${i}`);
      await createApplication(db, o.id, person.id, { submittedAt: at(9 + i) });
    }
    const draft = await insertContributor(db, 'Drafting Person');
    await createApplication(db, o.id, draft.id, { state: 'draft', submittedAt: null });
    for (let i = 0; i < 2; i++) {
      const person = await insertContributor(db, `Quiet ${i}`);
      await createApplication(db, quiet.id, person.id, { submittedAt: at(10) });
    }
    expect(await services.applications.sendDigests(day)).toBe(1);
    const digest = await sink.parse(await waitFor(() => sink.to('busy-lead@example.org')[0]));
    expect(digest.subject).toBe(`5 applications yesterday: ${o.title}`);
    expect(digest.text).toContain('This email covers the other 2');
    expect(digest.text).toContain(`/admin/opportunities/${o.id}/applications`);
    // Again (another instance, a restart): nothing more is sent; a quiet day sends nothing at all.
    expect(await services.applications.sendDigests(day)).toBe(1);
    expect(await services.applications.sendDigests('2026-03-03')).toBe(0);
    const digests = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'application-digest'));
    expect(digests.map((m) => m.toAddress)).toEqual(['busy-lead@example.org']);
  });

  it('erases applications of opportunities archived more than the retention period ago, keeping anonymous counts', async () => {
    const now = new Date('2027-06-15T12:00:00Z');
    const longAgo = await createOpportunity(db, { status: 'archived', archivedAt: new Date('2026-05-01T00:00:00Z') });
    const recent = await createOpportunity(db, { status: 'archived', archivedAt: new Date('2026-08-01T00:00:00Z') });
    const stillOpen = await createOpportunity(db);
    const people = await Promise.all(['Ann', 'Ben', 'Cai'].map((n) => insertContributor(db, n)));
    await createApplication(db, longAgo.id, people[0]!.id, { selection: 'selected' });
    await createApplication(db, longAgo.id, people[1]!.id, { selection: 'not-selected' });
    await createApplication(db, longAgo.id, people[2]!.id, { state: 'withdrawn' });
    await createApplication(db, recent.id, people[0]!.id);
    await createApplication(db, stillOpen.id, people[0]!.id);

    expect(await services.applications.eraseArchived(now, app.config.applicationRetentionMonths)).toBe(3);
    const left = await db.select().from(applications).where(eq(applications.userId, people[0]!.id));
    expect(left.map((a) => a.opportunityId).sort()).toEqual([recent.id, stillOpen.id].sort());
    const [erased] = await db.select().from(opportunities).where(eq(opportunities.id, longAgo.id));
    expect(erased!.applicationsErasedAt).toBeInstanceOf(Date);
    expect(erased!.erasedCounts).toEqual({ total: 3, submitted: 2, selected: 1, 'not-selected': 1, withdrawn: 1 });
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'opportunity.applications-erased'));
    expect(audit.map((e) => e.details)).toEqual([{ opportunityId: longAgo.id, applications: 3 }]);
    // Run again: nothing more to do.
    expect(await services.applications.eraseArchived(now, 12)).toBe(0);
  });
});
