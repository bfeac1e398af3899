import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { applicationAnswers, applicationReviews, applications, opportunityQuestions } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

// Staff choosing among applications: the list and one application (each look audited), the
// decision, reviewers' scores (blind when asked), and refusals for ids that are not theirs to see.
describe('selecting among applications', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff: leadAccount } = await signedInBrowser(app, 'involvement');
  const { browser: second } = await signedInBrowser(app, 'admin');

  const opportunity = await createOpportunity(db, { status: 'closed', blindScoring: true, title: 'Kidney care panel' }, [
    { kind: 'long-text', label: 'Why do you want to join?', required: true },
    { kind: 'multiple-choice', label: 'Which days suit you?', options: ['Monday', 'Friday'] },
  ]);
  const [why, days] = await db.select().from(opportunityQuestions).where(eq(opportunityQuestions.opportunityId, opportunity.id));
  const ada = await insertContributor(db, 'Ada Applicant');
  const bo = await insertContributor(db, 'Bo Draftwriter');
  const adaApp = await createApplication(db, opportunity.id, ada.id, { accessNeedsNotes: 'Step-free access please' });
  await db.insert(applicationAnswers).values([
    { applicationId: adaApp.id, questionId: why!.id, value: 'My mother had dialysis for years' },
    { applicationId: adaApp.id, questionId: days!.id, value: ['Monday', 'Friday'] },
  ]);
  await createApplication(db, opportunity.id, bo.id, { state: 'draft', submittedAt: null });
  const base = `/admin/opportunities/${opportunity.id}/applications`;

  const audited = (action: string, actor: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.actorUserId, actor)));

  it('lists sent applications only, and records the look', async () => {
    const res = await lead.get(base);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Ada Applicant');
    expect(res.body).not.toContain('Bo Draftwriter');
    expect(res.body).toContain('1 applicant has not yet been told the outcome.');
    expect(await audited('application.list-viewed-by-staff', leadAccount.id)).toHaveLength(1);
    const filtered = await lead.get(`${base}?selection=selected&show=nonsense`);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).toContain('No applications match these filters.');
  });

  it('shows one application with its answers, audited as a look at the applicant', async () => {
    const res = await lead.get(`${base}/${adaApp.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('My mother had dialysis for years');
    expect(res.body).toContain('Monday, Friday');
    expect(res.body).toContain('Step-free access please');
    const [view] = await audited('application.viewed-by-staff', leadAccount.id);
    expect(view?.subjectUserId).toBe(ada.id);
  });

  it('refuses ids that are not an application sent to this opportunity', async () => {
    const [draft] = await db.select().from(applications).where(eq(applications.userId, bo.id));
    const other = await createOpportunity(db, { status: 'closed' });
    for (const url of [
      `${base}/${draft!.id}`,
      `/admin/opportunities/${other.id}/applications/${adaApp.id}`,
      `${base}/abc`,
      `${base}/99999999999`,
    ]) {
      expect((await lead.get(url)).statusCode, url).toBe(404);
    }
    const draftOpportunity = await createOpportunity(db, { status: 'draft' });
    expect((await lead.get(`/admin/opportunities/${draftOpportunity.id}/applications`)).statusCode).toBe(404);
  });

  it('saves a decision, with the error summary when none is chosen', async () => {
    const bad = await lead.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/decision`, { selection: 'crowned' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select where this application is now');
    expect(bad.body).toContain('nhsuk-error-summary');
    const good = await lead.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/decision`, { selection: 'shortlisted' });
    expect(good.statusCode).toBe(303);
    const [row] = await db.select().from(applications).where(eq(applications.id, adaApp.id));
    expect(row!.selection).toBe('shortlisted');
    const [entry] = await audited('application.decision-made', leadAccount.id);
    expect(entry?.details).toMatchObject({ from: 'new', to: 'shortlisted' });
  });

  it('keeps reviewers blind to each other until each has scored', async () => {
    const bad = await lead.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/review`, { score: '9', notes: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a score from 1 to 5');
    const empty = await lead.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/review`, { notes: '' });
    expect(empty.body).toContain('Select a score or write a note');
    expect(
      (await lead.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/review`, { score: '4', notes: 'Clear and warm' })).statusCode,
    ).toBe(303);

    const before = await second.get(`${base}/${adaApp.id}`);
    expect(before.body).not.toContain('Clear and warm');
    expect(before.body).toContain('1 other reviewer has scored this.');
    expect((await second.get(base)).body).toContain('Hidden until you score');

    expect((await second.submit(`${base}/${adaApp.id}`, `${base}/${adaApp.id}/review`, { score: '2' })).statusCode).toBe(303);
    expect((await second.get(`${base}/${adaApp.id}`)).body).toContain('Clear and warm');
    expect((await second.get(base)).body).toContain('3.0');
    expect(await db.select().from(applicationReviews).where(eq(applicationReviews.applicationId, adaApp.id))).toHaveLength(2);
  });

  it('does not send outcomes while nobody has a final decision, nor while the opportunity is open', async () => {
    const res = await lead.submit(base, `/admin/opportunities/${opportunity.id}/outcomes`, {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select, waitlist or turn down at least one applicant before sending outcomes');
    const open = await createOpportunity(db);
    await createApplication(db, open.id, ada.id, { selection: 'selected' });
    const refused = await lead.submit(`/admin/opportunities/${open.id}/applications`, `/admin/opportunities/${open.id}/outcomes`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('close it before telling applicants');
    expect(await db.select().from(mailMessages).where(eq(mailMessages.kind, 'opportunity-outcome'))).toHaveLength(0);
  });
});

describe('telling every applicant the outcome', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const opportunity = await createOpportunity(db, { status: 'closed', title: 'Diabetes advisory group', contactEmail: 'ppi@example.org' });
  // Another open opportunity that suits everyone (no lived experience sought, online, "reviewing").
  const other = await createOpportunity(db, { title: 'Review our leaflet on foot care', type: 'peer-review' });
  const person = (name: string) => insertContributor(db, name, { interests: ['reviewing'], availableWays: ['online'] });
  const [sel, wait, no, cy, short] = await Promise.all(
    ['Sel Ected', 'Wai Ting', 'Nadia Notnow', 'Catrin Cymraeg', 'Sho Rtlist'].map(person),
  );
  await createApplication(db, opportunity.id, sel!.id, { selection: 'selected' });
  await createApplication(db, opportunity.id, wait!.id, { selection: 'waitlisted' });
  await createApplication(db, opportunity.id, no!.id, {
    selection: 'not-selected',
    feedback: 'Your answers were thoughtful; more on access would help.',
  });
  await createApplication(db, opportunity.id, cy!.id, { selection: 'not-selected', language: 'cy' });
  await createApplication(db, opportunity.id, short!.id, { selection: 'shortlisted' });
  const outcomeTo = async (email: string) =>
    (
      await db
        .select()
        .from(mailMessages)
        .where(and(eq(mailMessages.kind, 'opportunity-outcome'), eq(mailMessages.toAddress, email)))
    )[0];

  it('emails each decided applicant once, in their language, and says who is still waiting', async () => {
    const base = `/admin/opportunities/${opportunity.id}/applications`;
    expect((await lead.get(base)).body).toContain('5 applicants have not yet been told the outcome.');
    const res = await lead.submit(base, `/admin/opportunities/${opportunity.id}/outcomes`, {});
    expect(res.statusCode).toBe(303);
    const after = await lead.get(res.headers.location as string);
    expect(after.body).toContain('The outcome was sent to 4 applicants.');
    expect(after.body).toContain('1 applicant has not yet been told the outcome.');

    expect((await outcomeTo(sel!.email))!.subject).toBe('You have a place: Diabetes advisory group');
    expect((await outcomeTo(wait!.email))!.subject).toBe('You are on our waiting list: Diabetes advisory group');
    const rejected = (await outcomeTo(no!.email))!;
    expect(rejected.textBody).toContain('Your answers were thoughtful; more on access would help.');
    expect(rejected.textBody).toContain(`Review our leaflet on foot care: http://localhost:3000/opportunities/${other.slug}`);
    expect(rejected.textBody).not.toContain('Diabetes advisory group: http');
    expect((await outcomeTo(cy!.email))!.subject).toBe('Eich cais: Diabetes advisory group');
    expect(await outcomeTo(short!.email)).toBeUndefined();

    // A second press tells nobody twice.
    expect((await lead.submit(base, `/admin/opportunities/${opportunity.id}/outcomes`, {})).statusCode).toBe(400);
    expect(await db.select().from(mailMessages).where(eq(mailMessages.kind, 'opportunity-outcome'))).toHaveLength(4);
  });
});
