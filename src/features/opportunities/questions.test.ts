import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { opportunityQuestions } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

// The questions editor: staff add, change, reorder and remove an opportunity's own questions, with
// a Welsh version; once an application is sent, only the wording may change.
describe('the questions editor', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff: leadAccount } = await signedInBrowser(app, 'involvement');
  const opportunity = await createOpportunity(db, { title: 'Kidney care panel' });
  const base = `/admin/opportunities/${opportunity.id}/questions`;
  const stored = () =>
    db
      .select()
      .from(opportunityQuestions)
      .where(eq(opportunityQuestions.opportunityId, opportunity.id))
      .orderBy(asc(opportunityQuestions.position));
  const changes = () =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'opportunity.questions-changed'), eq(auditEvents.actorUserId, leadAccount.id)));

  it('refuses bad questions with the error summary, saving nothing', async () => {
    expect((await lead.get(`/admin/opportunities/${opportunity.id}`)).body).toContain(`href="${base}"`);
    const cases: [Record<string, string>, string][] = [
      [{ kind: 'single-choice', label: 'Which day?', options: 'Monday', required: 'yes' }, 'Enter at least 2 options, one a line'],
      [{ kind: 'short-text', label: '', required: 'yes' }, 'Enter the question'],
      [{ kind: 'essay', label: 'Why?', required: 'yes' }, 'Select the kind of question'],
      [
        { kind: 'short-text', label: 'Why?', options: 'A\nB', required: 'no' },
        'Remove the options, or choose a kind of question with options',
      ],
      [
        {
          kind: 'single-choice',
          label: 'Which day?',
          options: 'Monday\nFriday',
          options_cy: 'Dydd Llun',
          label_cy: 'Pa ddiwrnod?',
          required: 'yes',
        },
        'Enter 2 Welsh options, one for each English option, in the same order',
      ],
      [
        { kind: 'long-text', label: 'Why?', hint_cy: 'Dywedwch', required: 'yes' },
        'Enter the question in Welsh, or remove the Welsh hint and options',
      ],
      [{ kind: 'long-text', label: 'Why?' }, 'Select whether people must answer this question'],
    ];
    for (const [fields, message] of cases) {
      const res = await lead.submit(`${base}/new`, `${base}/new`, fields);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
    }
    expect(await stored()).toHaveLength(0);
    expect(await changes()).toHaveLength(0);
  });

  it('adds questions in order, with a Welsh version, and moves them with buttons', async () => {
    const add = (fields: Record<string, string>) => lead.submit(`${base}/new`, `${base}/new`, fields);
    expect(
      (await add({ kind: 'long-text', label: 'Why do you want to join?', hint: 'A few sentences is fine', required: 'yes' })).statusCode,
    ).toBe(303);
    expect(
      (
        await add({
          kind: 'single-choice',
          label: 'Which day suits you?',
          options: 'Monday\r\n\r\nFriday\r\nMonday',
          required: 'no',
          label_cy: 'Pa ddiwrnod sy’n gyfleus i chi?',
          options_cy: 'Dydd Llun\nDydd Gwener',
        })
      ).headers.location,
    ).toBe(`${base}?saved=added`);
    expect((await add({ kind: 'yes-no', label: 'Have you sat on a panel before?', required: 'yes' })).statusCode).toBe(303);
    const [why, day, before] = await stored();
    expect(day).toMatchObject({
      options: ['Monday', 'Friday'],
      required: false,
      translations: { cy: { label: 'Pa ddiwrnod sy’n gyfleus i chi?', options: 'Dydd Llun\nDydd Gwener' } },
    });
    expect([why!.label, before!.label]).toEqual(['Why do you want to join?', 'Have you sat on a panel before?']);

    const page = await lead.get(base);
    expect(page.body).toContain('Move up');
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    const moved = await lead.submit(base, `${base}/${before!.id}/move`, { direction: 'up' });
    expect(moved.statusCode).toBe(303);
    expect((await stored()).map((q) => q.label)).toEqual([
      'Why do you want to join?',
      'Have you sat on a panel before?',
      'Which day suits you?',
    ]);
    // Already at the top: nothing changes.
    await lead.submit(base, `${base}/${why!.id}/move`, { direction: 'up' });
    expect((await stored())[0]!.id).toBe(why!.id);
    expect((await lead.submit(base, `${base}/${why!.id}/move`, { direction: 'sideways' })).statusCode).toBe(400);
    expect((await changes()).map((c) => (c.details as { change: string }).change)).toEqual(['added', 'added', 'added', 'moved-up']);

    // The apply form asks them in this order, in Welsh on Welsh pages; the value stays English.
    const applicant = await joinedContributor(app, sink, 'Ffion Ymgeisydd');
    const cy = await applicant.browser.get(`/opportunities/${opportunity.slug}/apply?lang=cy`);
    expect(cy.statusCode).toBe(200);
    const order = ['Why do you want to join?', 'Have you sat on a panel before?', 'Pa ddiwrnod sy’n gyfleus i chi?'].map((l) =>
      cy.body.indexOf(l),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(cy.body).toMatch(/value="Friday"[^>]*>\s*<label[^>]*>\s*Dydd Gwener/);
    // A question with no Welsh version is marked as English for screen readers.
    expect(cy.body).toContain('<span lang="en">Why do you want to join?</span>');
    expect(cy.body).not.toContain('<span lang="en">Pa ddiwrnod');
  });

  it('once an application is sent, allows new wording but refuses removal and new kinds or options', async () => {
    const [why, , day] = await stored();
    const person = await insertContributor(db, 'Sent Already');
    await createApplication(db, opportunity.id, person.id);

    const list = await lead.get(base);
    expect(list.body).toContain('Someone has already sent an application');
    expect((await lead.get(`${base}/new`)).body).toContain('They will not have answered a question you add now');
    expect(list.body).not.toContain(`${base}/${why!.id}/remove`);
    const removed = await lead.post(`${base}/${why!.id}/remove`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(list.body)![1]! });
    expect(removed.statusCode).toBe(409);
    expect(removed.body).toContain('You cannot remove a question once someone has sent an application');

    const edit = `${base}/${day!.id}/edit`;
    const form = await lead.get(edit);
    expect(form.body).toContain('People who already applied keep their answers');
    const keep = {
      kind: 'single-choice',
      options: 'Monday\nFriday',
      required: 'no',
      label_cy: 'Pa ddiwrnod?',
      options_cy: 'Dydd Llun\nDydd Gwener',
    };
    const kind = await lead.submit(edit, edit, { ...keep, kind: 'multiple-choice', label: 'Which day suits you?' });
    expect(kind.statusCode).toBe(409);
    expect(kind.body).toContain('You cannot change the kind of question');
    const options = await lead.submit(edit, edit, { ...keep, options: 'Monday\nTuesday', label: 'Which day suits you?' });
    expect(options.statusCode).toBe(409);
    expect(options.body).toContain('You cannot change the options');
    expect((await stored()).map((q) => q.label)).toContain('Which day suits you?');

    const reworded = await lead.submit(edit, edit, { ...keep, label: 'Which day of the week suits you best?' });
    expect(reworded.headers.location).toBe(`${base}?saved=changed`);
    expect((await stored()).find((q) => q.id === day!.id)).toMatchObject({
      label: 'Which day of the week suits you best?',
      options: ['Monday', 'Friday'],
    });
  });

  it('changes nothing on an archived opportunity, nor for ids that are not its questions', async () => {
    const archived = await createOpportunity(db, { status: 'archived' }, [{ kind: 'short-text', label: 'Your name?' }]);
    const [q] = await db.select().from(opportunityQuestions).where(eq(opportunityQuestions.opportunityId, archived.id));
    const other = `/admin/opportunities/${archived.id}/questions`;
    expect((await lead.get(`${other}/new`)).statusCode).toBe(409);
    const page = await lead.get(other);
    expect(page.body).toContain('An archived opportunity cannot be changed');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await lead.get('/admin/opportunities')).body)![1]!;
    expect((await lead.post(`${other}/new`, { _csrf: csrf, kind: 'short-text', label: 'Sneaky', required: 'yes' })).statusCode).toBe(409);
    expect((await lead.post(`${other}/${q!.id}/remove`, { _csrf: csrf })).statusCode).toBe(409);
    expect(await db.select().from(opportunityQuestions).where(eq(opportunityQuestions.opportunityId, archived.id))).toHaveLength(1);
    // A draft's questions are where most writing happens.
    const draft = await createOpportunity(db, { status: 'draft' });
    expect((await lead.get(`/admin/opportunities/${draft.id}/questions/new`)).statusCode).toBe(200);
    // Another opportunity's question, nonsense ids.
    expect((await lead.get(`${base}/${q!.id}/edit`)).statusCode).toBe(404);
    expect((await lead.post(`${base}/${q!.id}/remove`, { _csrf: csrf })).statusCode).toBe(404);
    expect((await lead.get(`${base}/abc/edit`)).statusCode).toBe(404);
    expect((await lead.get('/admin/opportunities/99999999/questions')).statusCode).toBe(404);
  });

  it('refuses other staff and contributors', async () => {
    const { browser: plainStaff } = await signedInBrowser(app, 'staff');
    const contributor = await joinedContributor(app, sink, 'Curious Contributor');
    for (const browser of [plainStaff, contributor.browser]) {
      expect((await browser.get(base)).statusCode).toBe(403);
      expect((await browser.post(`${base}/new`, { kind: 'short-text', label: 'Sneaky', required: 'yes' })).statusCode).toBe(403);
    }
    expect((await stored()).map((q) => q.label)).not.toContain('Sneaky');
  });
});
