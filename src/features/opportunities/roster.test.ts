import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { diversityMonitoring } from '#src/features/profile/tables.ts';
import { applicationAnswers, applicationReviews, opportunityQuestions } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

// After selection: the participants page (and the service the groups feature will use), and the
// CSV export of applications with the columns and filter staff choose.
describe('participants and the applications export', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff: leadAccount } = await signedInBrowser(app, 'involvement');
  const opportunity = await createOpportunity(db, { status: 'selection-done', title: 'Stroke research panel', places: 3 }, [
    { kind: 'long-text', label: 'Why do you want to join?', required: true },
    { kind: 'yes-no', label: 'Have you done this before?' },
    { kind: 'multiple-choice', label: 'Which days suit you?', options: ['Monday', 'Friday'] },
  ]);
  const [why, before, days] = await db.select().from(opportunityQuestions).where(eq(opportunityQuestions.opportunityId, opportunity.id));
  const sel = await insertContributor(db, 'Selma Selected');
  const wait = await insertContributor(db, 'Wyn Waitlist');
  const gone = await insertContributor(db, 'Gwen Gone');
  const no = await insertContributor(db, '=HYPERLINK("http://evil.example","Click")');
  const draft = await insertContributor(db, 'Dora Draft');
  const selApp = await createApplication(db, opportunity.id, sel.id, {
    selection: 'selected',
    accessNeeds: ['step-free'],
    accessNeedsNotes: 'A quiet room, please',
    contactMethods: ['phone'],
    formats: ['large-print'],
    submittedAt: new Date('2026-03-01T10:00:00Z'),
  });
  // Accepted a place offered from the waiting list: selected now.
  await createApplication(db, opportunity.id, wait.id, { selection: 'selected', offeredAt: new Date(), offerResponse: 'accepted' });
  await createApplication(db, opportunity.id, gone.id, { selection: 'selected', state: 'withdrawn', withdrawnAt: new Date() });
  const noApp = await createApplication(db, opportunity.id, no.id, {
    selection: 'not-selected',
    feedback: 'Thank you, "truly"',
    anythingElse: '+SUM(1,2)',
  });
  await createApplication(db, opportunity.id, draft.id, { state: 'draft', submittedAt: null });
  await db.insert(applicationAnswers).values([
    { applicationId: selApp.id, questionId: why!.id, value: 'My father had a stroke,\nand I cared for him' },
    { applicationId: selApp.id, questionId: before!.id, value: 'yes' },
    { applicationId: selApp.id, questionId: days!.id, value: ['Monday', 'Friday'] },
    { applicationId: noApp.id, questionId: why!.id, value: '@mention me' },
  ]);
  await db.insert(applicationReviews).values([
    { applicationId: selApp.id, reviewerId: leadAccount.id, score: 4 },
    { applicationId: noApp.id, reviewerId: leadAccount.id, score: 2 },
  ]);
  await db.insert(diversityMonitoring).values({ userId: sel.id, answers: { religion: 'Quaker-secret-word' } });
  const audited = (action: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.actorUserId, leadAccount.id)));

  it('lists the selected people still taking part, with what staff need, and records the look', async () => {
    const res = await lead.get(`/admin/opportunities/${opportunity.id}/participants`);
    expect(res.statusCode).toBe(200);
    for (const text of [
      'Selma Selected',
      sel.email,
      'Step-free access',
      'A quiet room, please',
      'Phone',
      'Large print',
      'Wyn Waitlist',
      '2 of 3 places filled.',
    ]) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('Accepted a place from the waiting list.');
    for (const text of ['Gwen Gone', 'Dora Draft', 'HYPERLINK']) expect(res.body).not.toContain(text);
    const [entry] = await audited('application.participants-viewed-by-staff');
    expect(entry!.details).toEqual({ opportunity: opportunity.id, shown: 2 });
    expect(await services.selection.participants(opportunity.id)).toEqual([
      { userId: sel.id, name: 'Selma Selected' },
      { userId: wait.id, name: 'Wyn Waitlist' },
    ]);
  });

  it('exports the chosen columns of the chosen applications, safe from formula injection, and logs it without the data', async () => {
    const path = `/admin/opportunities/${opportunity.id}/applications/export`;
    const form = await lead.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="q${why!.id}"`);
    expect(form.body).toContain('Answer: Why do you want to join?');

    const res = await lead.submit(path, path, {
      columns: [
        'email',
        'decision',
        `q${why!.id}`,
        `q${before!.id}`,
        `q${days!.id}`,
        'accessNeeds',
        'averageScore',
        'feedback',
        'anythingElse',
        'religion',
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="applications-${opportunity.id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'Name,Email,Decision,Why do you want to join?,Have you done this before?,Which days suit you?,Access needs,Anything else,Average score,Feedback',
    );
    expect(res.body).toContain(
      `Selma Selected,${sel.email},Selected,"My father had a stroke,\nand I cared for him",Yes,Monday; Friday,"Step-free access; A quiet room, please",,4.0,\r\n`,
    );
    expect(res.body).toContain(
      `"'=HYPERLINK(""http://evil.example"",""Click"")",${no.email},Not selected,'@mention me,,,,"'+SUM(1,2)",2.0,"Thank you, ""truly"""`,
    );
    expect(res.body).toContain('Gwen Gone');
    expect(res.body).toContain('Selected (withdrawn)');
    expect(res.body).not.toContain('Dora Draft');
    expect(res.body).not.toContain('Quaker-secret-word');
    expect(lines.filter(Boolean)).toHaveLength(5);

    const [entry] = await audited('application.exported-by-staff');
    expect(entry!.details).toEqual({
      opportunity: opportunity.id,
      filter: 'all sent',
      columns: `name email decision q${why!.id} q${before!.id} q${days!.id} accessNeeds anythingElse averageScore feedback`,
      rows: 4,
    });
    expect(JSON.stringify(entry!.details)).not.toContain('Selma');

    const selected = await lead.submit(path, path, { decision: 'not-selected' });
    expect(selected.body.split('\r\n').filter(Boolean)).toEqual(['Name', `"'=HYPERLINK(""http://evil.example"",""Click"")"`]);
  });

  it('refuses a decision that is not one, with the error summary, exporting nothing', async () => {
    const path = `/admin/opportunities/${opportunity.id}/applications/export`;
    const before = (await audited('application.exported-by-staff')).length;
    const res = await lead.submit(path, path, { decision: 'crowned', columns: 'email' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Select which applications to export');
    expect(await audited('application.exported-by-staff')).toHaveLength(before);
    const draftOpportunity = await createOpportunity(db, { status: 'draft' });
    expect((await lead.get(`/admin/opportunities/${draftOpportunity.id}/participants`)).statusCode).toBe(404);
    expect((await lead.get('/admin/opportunities/abc/applications/export')).statusCode).toBe(404);
  });

  it('refuses other staff and contributors', async () => {
    const { browser: plainStaff } = await signedInBrowser(app, 'staff');
    const contributor = await joinedContributor(app, sink, 'Curious Contributor');
    for (const browser of [plainStaff, contributor.browser]) {
      expect((await browser.get(`/admin/opportunities/${opportunity.id}/participants`)).statusCode).toBe(403);
      expect((await browser.get(`/admin/opportunities/${opportunity.id}/applications/export`)).statusCode).toBe(403);
      const res = await browser.post(`/admin/opportunities/${opportunity.id}/applications/export`, { columns: 'email' });
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain(sel.email);
    }
  });
});
