import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { applicationAnswers, applications } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

describe('applying for an opportunity', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const questions = [
    { kind: 'long-text' as const, label: 'Why would you like to take part?', required: true },
    { kind: 'single-choice' as const, label: 'Which meeting suits you?', options: ['Morning', 'Evening'], required: true },
    { kind: 'multiple-choice' as const, label: 'Which parts interest you?', options: ['Reading', 'Talking'], required: false },
    { kind: 'yes-no' as const, label: 'Have you done peer review before?', required: false },
  ];
  const opportunity = await createOpportunity(db, { contactEmail: 'lead@example.org' }, questions);
  const asked = await app.services.applications.questions(opportunity.id);
  const q = (i: number) => `q${asked[i]!.id}`;
  const applyUrl = `/opportunities/${opportunity.slug}/apply`;
  const rowsOf = (userId: string) => db.select().from(applications).where(eq(applications.userId, userId));

  it('offers someone signed out the join form, and brings them back to the application after the emailed link', async () => {
    const browser = new Browser(app);
    const page = await browser.get(applyUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    expect(page.body).toContain('Join us to apply');
    expect(page.body).toContain(`href="/sign-in/email?next=${encodeURIComponent(applyUrl)}"`);
    const email = 'newcomer@example.net';
    const joined = await browser.submit(applyUrl, '/join', { name: 'Nia Newcomer', email, consent: 'yes' });
    expect(joined.statusCode).toBe(303);
    const { path } = await linkEmailedTo(sink, email);
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.headers.location).toBe(applyUrl);
    const form = await browser.get(applyUrl);
    expect(form.body).toContain('Why would you like to take part?');

    // Sending it without being signed in is never possible: the form asks for a sign-in.
    const stranger = await new Browser(app).post(applyUrl, { action: 'submit' });
    expect(stranger.statusCode).toBe(302);
    expect(stranger.headers.location).toBe('/sign-in/email');
  });

  it('brings someone who signs in by emailed link back to the application', async () => {
    const c = await joinedContributor(app, sink, 'Sid Signer');
    const browser = new Browser(app);
    const asked = await browser.submit(`/sign-in/email?next=${encodeURIComponent(applyUrl)}`, '/sign-in/email', { email: c.email });
    expect(asked.statusCode).toBe(303);
    const { path } = await linkEmailedTo(sink, c.email, 1);
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.headers.location).toBe(applyUrl);
    // Another site is never a place to come back to.
    const evil = await new Browser(app).get('/join?next=//evil.example/x');
    expect(evil.body).not.toContain('name="next"');
  });

  it('pre-fills access needs and contact preferences from the profile and saves a draft', async () => {
    const c = await joinedContributor(app, sink, 'Priya Applicant');
    await c.browser.submit('/profile/access-needs', '/profile/access-needs', {
      accessNeeds: ['captions', 'breaks'],
      accessNeedsNotes: 'Afternoons are better',
    });
    await c.browser.submit('/profile/contact', '/profile/contact', { contactMethods: 'email', formats: 'large-print' });

    const form = await c.browser.get(applyUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body.match(/<h1/g)).toHaveLength(1);
    expect(form.body).toMatch(/value="captions"[^>]*checked/);
    expect(form.body).toMatch(/value="breaks"[^>]*checked/);
    expect(form.body).toMatch(/value="large-print"[^>]*checked/);
    expect(form.body).toContain('Afternoons are better');

    // A draft may leave required questions out.
    const draft = await c.browser.submit(applyUrl, applyUrl, {
      action: 'save',
      [q(0)]: 'I care about waiting times.',
      accessNeeds: 'captions',
    });
    expect(draft.statusCode).toBe(303);
    expect(draft.headers.location).toBe(`${applyUrl}?saved=1`);
    const again = await c.browser.get(`${applyUrl}?saved=1`);
    expect(again.body).toContain('Your answers are saved');
    expect(again.body).toContain('I care about waiting times.');
    expect(again.body).not.toMatch(/value="breaks"[^>]*checked/);
  });

  it('checks every required answer before sending, changing nothing when one is missing, then sends once', async () => {
    const c = await joinedContributor(app, sink, 'Priya Sender');
    await c.browser.submit(applyUrl, applyUrl, { action: 'save', [q(0)]: 'I care about waiting times.' });
    // Sending checks every required answer and changes nothing when one is missing.
    const missing = await c.browser.submit(applyUrl, applyUrl, { action: 'submit', [q(0)]: 'Changed', [q(2)]: 'Lying' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('nhsuk-error-summary');
    expect(missing.body).toContain(`href="#${q(1)}"`);
    expect(missing.body).toContain('Select an answer to the question: Which meeting suits you?');
    expect(missing.body).toContain('Select an answer from the list for the question: Which parts interest you?');
    const [still] = await rowsOf(c.id);
    expect(still!.state).toBe('draft');
    expect((await db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, still!.id)))[0]!.value).toBe(
      'I care about waiting times.',
    );

    const sent = await c.browser.submit(applyUrl, applyUrl, {
      action: 'submit',
      [q(0)]: 'I care about waiting times.',
      [q(1)]: 'Evening',
      [q(2)]: ['Reading', 'Talking'],
      [q(3)]: 'yes',
      accessNeeds: 'captions',
      anythingElse: 'I cannot make 3 March.',
    });
    expect(sent.statusCode).toBe(303);
    const [row] = await rowsOf(c.id);
    expect(row).toMatchObject({ state: 'submitted', accessNeeds: ['captions'], anythingElse: 'I cannot make 3 March.', language: 'en' });
    expect(sent.headers.location).toBe(`/profile/applications/${row!.id}?sent=1`);

    const receipt = await sink.parse(await waitFor(() => sink.to(c.email).find((m) => m.raw.includes('We have your application'))));
    expect(receipt.subject).toBe(`We have your application: ${opportunity.title}`);
    expect(receipt.text).toContain(`/profile/applications/${row!.id}`);
    const notice = await sink.parse(await waitFor(() => sink.to('lead@example.org')[0]));
    expect(notice.subject).toBe(`New application: ${opportunity.title}`);
    // The contact's email names nobody: they read applications on the staff pages.
    expect(notice.text).not.toContain('Priya');

    const mine = await c.browser.get(`/profile/applications/${row!.id}?sent=1`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Your application has been sent');
    expect(mine.body).toContain('Evening');
    expect(mine.body).toContain('Reading, Talking');
    expect(mine.body).toContain('Captions or a transcript at online meetings');

    const list = await c.browser.get('/profile/applications');
    expect(list.body).toContain(`href="/profile/applications/${row!.id}"`);
    expect(list.body).toMatch(/nhsuk-tag--blue">\s*Sent/);

    // Applying twice, or changing a sent application, is refused and changes nothing.
    expect((await c.browser.get(applyUrl)).headers.location).toBe(`/profile/applications/${row!.id}`);
    const twice = await c.browser.post(applyUrl, {
      ...(await tokenFrom(c.browser, `/profile/applications/${row!.id}`)),
      action: 'submit',
      [q(0)]: 'Edited',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('You have already sent this application');
    const answers = await db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, row!.id));
    expect(answers.find((a) => a.questionId === asked[0]!.id)!.value).toBe('I care about waiting times.');
  });

  it('refuses applications after closing and hides drafts of opportunities', async () => {
    const c = await joinedContributor(app, sink, 'Lola Late');
    const closed = await createOpportunity(db, { closesAt: new Date(Date.now() - 60_000) });
    const page = await c.browser.get(`/opportunities/${closed.slug}/apply`);
    expect(page.body).toContain('This opportunity is not taking applications');
    const token = await tokenFrom(c.browser, applyUrl);
    const late = await c.browser.post(`/opportunities/${closed.slug}/apply`, { ...token, action: 'submit' });
    expect(late.statusCode).toBe(409);
    expect(await rowsOf(c.id)).toEqual([]);

    const draft = await createOpportunity(db, { status: 'draft', publishedAt: null });
    expect((await c.browser.get(`/opportunities/${draft.slug}/apply`)).statusCode).toBe(404);
    expect((await c.browser.post(`/opportunities/${draft.slug}/apply`, { ...token, action: 'save' })).statusCode).toBe(404);
  });

  it("shows a person only their own applications: another person's id is not found", async () => {
    const owner = await insertContributor(db, 'Olga Owner');
    const other = await joinedContributor(app, sink, 'Oscar Other');
    const theirs = await createApplication(db, opportunity.id, owner.id, { anythingElse: 'Private note from Olga' });
    expect((await other.browser.get('/profile/applications')).body).toContain('You have not applied for any opportunities yet.');
    for (const url of [`/profile/applications/${theirs.id}`, `/profile/applications/${theirs.id}/withdraw`]) {
      const res = await other.browser.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Private note from Olga');
    }
    const token = await tokenFrom(other.browser, '/profile/applications');
    expect((await other.browser.post(`/profile/applications/${theirs.id}/withdraw`, { ...token, confirm: 'yes' })).statusCode).toBe(404);
    expect((await other.browser.get('/profile/applications/abc')).statusCode).toBe(404);
    expect((await db.select().from(applications).where(eq(applications.id, theirs.id)))[0]!.state).toBe('submitted');
  });

  it('does not let staff accounts apply', async () => {
    const staff = (await signedInBrowser(app, 'involvement')).browser;
    expect((await staff.get(applyUrl)).statusCode).toBe(403);
  });

  it('withdraws only when the person confirms', async () => {
    const c = await joinedContributor(app, sink, 'Wyn Withdrawer');
    const a = await createApplication(db, opportunity.id, c.id);
    const url = `/profile/applications/${a.id}/withdraw`;
    const unconfirmed = await c.browser.submit(url, url, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Select yes to withdraw your application');
    expect((await rowsOf(c.id))[0]!.state).toBe('submitted');
    const done = await c.browser.submit(url, url, { confirm: 'yes' });
    expect(done.headers.location).toBe(`/profile/applications/${a.id}?withdrawn=1`);
    const [row] = await rowsOf(c.id);
    expect(row!.state).toBe('withdrawn');
    expect(row!.withdrawnAt).toBeInstanceOf(Date);
    expect((await c.browser.get(`/profile/applications/${a.id}?withdrawn=1`)).body).toContain('You have withdrawn your application');
    // A withdrawn application cannot be sent again.
    expect((await c.browser.get(applyUrl)).headers.location).toBe(`/profile/applications/${a.id}`);
  });

  it('speaks Welsh to a Welsh applicant, on the page and in the receipt', async () => {
    const c = await joinedContributor(app, sink, 'Gwen Gymraeg');
    const page = await c.browser.get(`${applyUrl}?lang=cy`);
    expect(page.body).toContain('Gwneud cais');
    expect(page.body).toContain('Anfon y cais');
    await c.browser.submit(applyUrl, applyUrl, { action: 'submit', [q(0)]: 'Achos', [q(1)]: 'Morning' });
    const [row] = await rowsOf(c.id);
    expect(row!.language).toBe('cy');
    const receipt = await sink.parse(await waitFor(() => sink.to(c.email).find((m) => m.raw.includes('Diolch am wneud cais'))));
    expect(receipt.subject).toBe(`Mae eich cais gyda ni: ${opportunity.title}`);
  });

  it('puts applications in Download my data and erases them with the account', async () => {
    const c = await joinedContributor(app, sink, 'Dara Download');
    await c.browser.submit(applyUrl, applyUrl, { action: 'submit', [q(0)]: 'Because it matters', [q(1)]: 'Morning' });
    const page = await c.browser.get('/profile/data');
    expect(page.body).toContain('Your applications');
    expect(page.body).toContain(`${opportunity.title}: sent`);
    const json = JSON.parse((await c.browser.get('/profile/data.json')).body) as {
      applications: { opportunity: string; state: string; answers: { question: string; answer: unknown }[] }[];
    };
    expect(json.applications).toMatchObject([
      {
        opportunity: opportunity.title,
        state: 'submitted',
        answers: [
          { question: 'Why would you like to take part?', answer: 'Because it matters' },
          { question: 'Which meeting suits you?', answer: 'Morning' },
        ],
      },
    ]);
    await c.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(await rowsOf(c.id)).toEqual([]);
  });
});

// A page's CSRF token, for posting straight to a route the page has no form for.
async function tokenFrom(browser: Browser, url: string) {
  const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get(url)).body)?.[1];
  if (!token) throw new Error(`no CSRF token on ${url}`);
  return { _csrf: token };
}
