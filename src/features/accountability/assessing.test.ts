import { describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { contributorProfiles, diversityMonitoring } from '#src/features/profile/tables.ts';
import { createApplication, createOpportunity } from '#src/features/opportunities/test-support.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { insertGroup, addMember } from '#src/features/groups/calendar-test-support.ts';
import { signedInContributor } from '#src/features/reviews/responses-test-support.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { insertRoundWithStandards } from './assessing-test-support.ts';
import { assessmentContributorViews, assessmentParticipants, assessmentRounds } from './tables.ts';

const future = (days: number) => todayInLondon(new Date(Date.now() + days * 86_400_000));
const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'closeOn-day': String(Number(d)), 'closeOn-month': String(Number(m)), 'closeOn-year': y! };
};

// Contributors co-assessing a round: staff invite them (a group's members or email addresses) and
// each is emailed in their language; only invited people open the page; they save, then send;
// closed and completed rounds are read-only; viewsFor counts only views that were sent; the
// person's data is in their download and goes with their account.
describe('contributors co-assessing a round', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: staff } = await signedInBrowser(app, 'involvement');
  const { round, standards } = await insertRoundWithStandards(db);
  const [inclusive, together, impact] = standards;
  const ana = await signedInContributor(app, 'Ana Asesydd');
  const bryn = await signedInContributor(app, 'Bryn Barn');
  const ceri = await signedInContributor(app, 'Ceri Cyfrannwr');
  const outsider = await signedInContributor(app, 'Dai Dieithryn');
  await db.insert(contributorProfiles).values({ userId: bryn.id, language: 'cy' });
  const staffPage = `/admin/standards/rounds/${round.id}/contributors`;
  const page = `/profile/assessments/${round.slug}`;
  const invite = (fields: Record<string, string>) =>
    staff.submit(staffPage, staffPage, { groupId: '', emails: '', ...dateFields(future(30)), ...fields });
  const participants = () => db.select().from(assessmentParticipants).where(eq(assessmentParticipants.roundId, round.id));

  it('refuses an unknown email address, a date in the past and a group that is not there, inviting nobody', async () => {
    const unknown = await invite({ emails: `${ana.email}\nnobody@example.net` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No contributor has the email address nobody@example.net');
    expect(unknown.body).toContain('href="#emails"');
    const past = await invite({ emails: ana.email, ...dateFields('2020-01-31') });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The closing date must be today or in the future');
    const notReal = await invite({ emails: ana.email, 'closeOn-day': '31', 'closeOn-month': '2', 'closeOn-year': '2030' });
    expect(notReal.body).toContain('The closing date must be a real date');
    const badEmail = await invite({ emails: 'not-an-address' });
    expect(badEmail.body).toContain('Enter not-an-address as a real email address');
    const noGroup = await invite({ groupId: '999999' });
    expect(noGroup.body).toContain('Select a group from the list');
    expect(await participants()).toEqual([]);
    const [r] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, round.id));
    expect(r!.contributorsCloseOn).toBeNull();
    expect(await db.select().from(mailMessages).where(like(mailMessages.idempotencyKey, 'assessment-invitation-%'))).toEqual([]);
  });

  it('invites a group’s contributors and people by email, each emailed once in their language', async () => {
    const group = await insertGroup(db);
    await addMember(db, group.id, ana.id);
    await addMember(db, group.id, bryn.id);
    const res = await invite({ groupId: String(group.id), emails: `${ceri.email.toUpperCase()}, ${ana.email}` });
    expect(res.statusCode).toBe(303);
    const after = await staff.get(String(res.headers.location));
    expect(after.body).toContain('3 people invited and emailed.');
    for (const name of ['Ana Asesydd', 'Bryn Barn', 'Ceri Cyfrannwr']) expect(after.body).toContain(name);
    expect(after.body).toContain('0 of 3 have sent their view.');
    expect((await participants()).length).toBe(3);
    const mails = await db
      .select()
      .from(mailMessages)
      .where(like(mailMessages.idempotencyKey, `assessment-invitation-${round.id}-%`));
    expect(mails.map((m) => m.toAddress).sort()).toEqual([ana.email, bryn.email, ceri.email].sort());
    const brynMail = mails.find((m) => m.toAddress === bryn.email)!;
    expect(brynMail.textBody).toContain(`http://localhost:3000${page}?lang=cy`);
    // Inviting again emails nobody twice and keeps the invitations.
    await invite({ emails: ana.email });
    expect(
      (await db.select().from(mailMessages).where(eq(mailMessages.toAddress, ana.email))).filter((m) => m.kind === 'assessment-invitation')
        .length,
    ).toBe(1);
  });

  it('is a 404 for someone not invited, and lists the round for those who were', async () => {
    expect((await outsider.browser.get(page)).statusCode).toBe(404);
    expect((await outsider.browser.get('/profile/assessments/no-such-round')).statusCode).toBe(404);
    const mine = await ana.browser.get('/profile/assessments');
    expect(mine.body).toContain(round.title);
    expect(mine.body).toContain(`href="${page}"`);
    expect((await outsider.browser.get('/profile/assessments')).body).toContain('You have not been invited to an assessment.');
  });

  it('shows each standard with its questions and evidence, in Welsh too', async () => {
    const opportunity = await createOpportunity(db, { support: ['training'] });
    for (const i of [1, 2, 3, 4, 5]) {
      const person = await insertContributor(db, `Applicant ${i}`);
      await createApplication(db, opportunity.id, person.id);
      await db.insert(diversityMonitoring).values({ userId: person.id, answers: { ageBand: '25 to 34' } });
    }
    const res = await ana.browser.get(page);
    expect(res.body).toMatch(/Stated access support<\/dt>\s*<dd class="nhsuk-summary-list__value">100%<\/dd>/);
    expect(res.body).toMatch(
      /<th scope="row" class="nhsuk-table__header">25 to 34<\/th>\s*<td[^>]*>5<\/td>\s*<td[^>]*>Not shown \(fewer than 5\)<\/td>/,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Inclusive opportunities');
    expect(res.body).toContain('Who is missing from our groups?');
    expect(res.body).toContain('Payment and access support stated up front');
    const cy = await ana.browser.get(`${page}?lang=cy`);
    expect(cy.body).toContain('Cyfleoedd cynhwysol');
    expect(cy.body).toContain('Pwy sydd ar goll o’n grwpiau?');
    expect(cy.body).toContain('Yn nodi cymorth hygyrchedd');
    expect(cy.body).toContain('25 i 34');
    expect(cy.body).toContain('Dydw i ddim yn gwybod');
    await ana.browser.get(`${page}?lang=en`);
  });

  it('refuses a rating not on the list and a long comment, saving nothing', async () => {
    const res = await ana.browser.submit(page, page, {
      action: 'save',
      [`rating-${inclusive!.id}`]: 'superb',
      [`comment-${together!.id}`]: 'x'.repeat(2001),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select a rating from the list');
    expect(res.body).toContain('Your comment must be 2000 characters or fewer');
    const empty = await ana.browser.submit(page, page, { action: 'send' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Give a rating or a comment on at least one standard');
    expect(await db.select().from(assessmentContributorViews)).toEqual([]);
    expect((await participants()).every((p) => p.submittedAt === null)).toBe(true);
  });

  it('saves as you go, then sends; viewsFor counts only views that were sent', async () => {
    const saved = await ana.browser.submit(page, page, {
      action: 'save',
      [`rating-${inclusive!.id}`]: 'developing',
      [`comment-${inclusive!.id}`]: 'Adverts should say what you pay.',
      [`rating-${impact!.id}`]: 'dont-know',
    });
    expect(saved.statusCode).toBe(303);
    const again = await ana.browser.get(String(saved.headers.location));
    expect(again.body).toContain('Your answers are saved.');
    expect(again.body).toContain('Adverts should say what you pay.');
    expect(await services.assessing.viewsFor(round.id)).toEqual(new Map());

    await bryn.browser.submit(page, page, {
      action: 'save',
      [`rating-${inclusive!.id}`]: 'excellent',
      [`comment-${inclusive!.id}`]: 'Not sent yet.',
    });
    const sent = await ana.browser.submit(page, page, {
      action: 'send',
      [`rating-${inclusive!.id}`]: 'developing',
      [`comment-${inclusive!.id}`]: 'Adverts should say what you pay.',
      [`rating-${impact!.id}`]: 'dont-know',
    });
    expect(sent.statusCode).toBe(303);
    expect((await ana.browser.get(String(sent.headers.location))).body).toContain('Your view has been sent.');
    const views = await services.assessing.viewsFor(round.id);
    expect(views.get(inclusive!.id)).toEqual({
      count: 1,
      ratings: { 'not-yet': 0, developing: 1, established: 0, excellent: 0, 'dont-know': 0 },
      comments: ['Adverts should say what you pay.'],
    });
    expect(views.get(impact!.id)?.ratings['dont-know']).toBe(1);
    expect(views.has(together!.id)).toBe(false);
    expect(JSON.stringify([...views])).not.toContain('Not sent yet.');
    const people = await services.assessing.participantsFor(round.id);
    expect(people.find((p) => p.userId === ana.id)?.submittedAt).not.toBeNull();
    expect((await staff.get(staffPage)).body).toContain('1 of 3 have sent their view.');
  });

  it('is read-only once sent, after the closing date and once the round is completed', async () => {
    const sentPage = await ana.browser.get(page);
    expect(sentPage.body).toContain('You have sent your view.');
    expect(sentPage.body).not.toContain('name="action"');
    const post = await ana.browser.post(page, {
      ...hiddenFields(sentPage.body, '/sign-out'),
      action: 'save',
      [`rating-${inclusive!.id}`]: 'excellent',
    });
    expect(post.statusCode).toBe(409);
    expect(post.body).toContain('You have already sent your view, so nothing was changed.');

    await db
      .update(assessmentRounds)
      .set({ contributorsCloseOn: future(-1) })
      .where(eq(assessmentRounds.id, round.id));
    expect((await bryn.browser.get(page)).body).toContain('The closing date has passed');
    await db
      .update(assessmentRounds)
      .set({ contributorsCloseOn: future(30), state: 'completed' })
      .where(eq(assessmentRounds.id, round.id));
    const completed = await bryn.browser.get(page);
    expect(completed.body).toContain('This assessment is finished');
    expect(completed.body).toContain('Not sent yet.');
    const refused = await bryn.browser.post(page, { ...hiddenFields(completed.body, '/sign-out'), action: 'send' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('nothing was changed');
    const staffView = await staff.get(staffPage);
    expect(staffView.body).not.toContain('Invite and save the closing date');
    const late = await staff.post(staffPage, {
      ...hiddenFields(staffView.body, '/sign-out'),
      emails: outsider.email,
      ...dateFields(future(30)),
    });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('This round is completed');
    expect((await participants()).length).toBe(3);
    expect(
      (
        await db
          .select()
          .from(assessmentContributorViews)
          .where(and(eq(assessmentContributorViews.userId, bryn.id)))
      ).map((v) => v.comment),
    ).toEqual(['Not sent yet.']);
  });

  it('puts the person’s invitations and views in their download, and they go with their account', async () => {
    const data = JSON.parse((await ana.browser.get('/profile/data.json')).body) as {
      assessments: { round: string; views: unknown[]; sentAt: string }[];
    };
    expect(data.assessments).toEqual([
      expect.objectContaining({
        round: round.title,
        views: expect.arrayContaining([
          { standard: 'Inclusive opportunities', rating: 'developing', comment: 'Adverts should say what you pay.' },
        ]),
      }),
    ]);
    expect(data.assessments[0]!.sentAt).toBeTruthy();
    expect((await ana.browser.get('/profile/data')).body).toContain('Assessments of how we involve people');
    await services.dataRights.deleteAccount({ id: ana.id, email: ana.email, name: ana.name, role: 'contributor', jobTitle: null }, 'en');
    expect(await db.select().from(assessmentContributorViews).where(eq(assessmentContributorViews.userId, ana.id))).toEqual([]);
    expect((await participants()).map((p) => p.userId)).not.toContain(ana.id);
    expect((await services.assessing.viewsFor(round.id)).size).toBe(0);
  });

  it('keeps staff without register access and contributors out of the staff page', async () => {
    const { browser: plain } = await signedInBrowser(app, 'finance');
    for (const res of [await plain.get(staffPage), await bryn.browser.get(staffPage), await new Browser(app).get(staffPage)]) {
      expect(res.statusCode).not.toBe(200);
      expect(res.body).not.toContain('Ceri Cyfrannwr');
    }
    expect((await staff.get('/admin/standards/rounds/999999/contributors')).statusCode).toBe(404);
  });
});
