import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { contributorProfiles } from './tables.ts';
import { profileSteps } from './schema.ts';

// "Every step is optional" is true: an empty save or "Skip this step" is accepted and shown as
// Skipped; an answer given later makes it Completed; the first time no step is left, the person is
// told what happens now; every error names one field.

// The status shown beside a step on the task list, found by the step's address.
const statusOf = (html: string, href: string) => {
  const item = html.split('<li class="nhsuk-task-list__item').find((chunk) => chunk.includes(`href="${href}"`));
  const status = /class="nhsuk-task-list__status[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(item ?? '')?.[1] ?? '';
  return status
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .trim();
};

// This feature's steps and the organisations feature's (order 80), in task-list order.
const steps = [...profileSteps, { href: '/profile/organisations', order: 80 }].sort((a, b) => a.order - b.order).map((s) => s.href);

describe('optional profile steps', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });

  it('accepts an empty save of every step but the details (its name is prefilled) and marks each Skipped', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Emma Empty');
    for (const step of steps.slice(1)) {
      const res = await browser.submit(step, step, {});
      expect(res.statusCode, step).toBe(303);
    }
    const page = (await browser.get('/profile')).body;
    for (const step of steps.slice(1)) expect(statusOf(page, step), step).toBe('Skipped');
    expect(statusOf(page, '/profile/details')).toBe('Not started');
    expect(page).toContain('You have completed 0 of 9 steps');
    const [row] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, id));
    expect(Object.keys(row!.skippedSteps).sort()).toEqual(
      ['access-needs', 'availability', 'contact', 'diversity', 'interests', 'lived-experience', 'organisations', 'payment'].sort(),
    );
    expect(row!.completedSteps).toEqual({});
    // The download says which steps were skipped.
    const data = JSON.parse((await browser.get('/profile/data.json')).body) as { profile: { skippedSteps: Record<string, string> } };
    expect(Object.keys(data.profile.skippedSteps)).toContain('interests');
  });

  it('skips a step with "Skip this step", on every step page, and tells the person what happens now after the last', async () => {
    const { browser } = await joinedContributor(app, sink, 'Sid Skip');
    for (const [i, step] of steps.entries()) {
      const page = await browser.get(step);
      expect(page.body, step).toMatch(/<form method="post" action="\/profile\/skip">[\s\S]*?name="step" value="[^"]+"/);
      expect(page.body, step).toContain('Skip this step for now');
      const res = await browser.submit(step, '/profile/skip', { step });
      expect(res.statusCode, step).toBe(303);
      // The last step left leads to "What happens now"; the others back to the task list.
      expect(res.headers.location, step).toBe(i === steps.length - 1 ? '/profile/what-happens-now' : '/profile?saved=skipped');
    }
    const profile = (await browser.get('/profile')).body;
    for (const step of steps) expect(statusOf(profile, step), step).toBe('Skipped');

    const now = await browser.get('/profile/what-happens-now');
    expect(now.statusCode).toBe(200);
    for (const text of [
      'What happens now',
      'We will contact you when there is an opportunity that matches what you told us',
      '<a href="/">home page</a>',
      '<a href="/profile">your profile</a>',
    ])
      expect(now.body).toContain(text);

    // Only the first time: a later save goes back to the task list.
    const again = await browser.submit('/profile/interests', '/profile/interests', { interests: 'surveys' });
    expect(again.headers.location).toBe('/profile?saved=interests');
    expect(statusOf((await browser.get('/profile')).body, '/profile/interests')).toBe('Completed');
  });

  it('keeps a completed step completed when skipped, and marks it Skipped when saved empty (clearing it)', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Cora Change');
    await browser.submit('/profile/interests', '/profile/interests', { interests: ['surveys', 'groups'] });
    await browser.submit('/profile/interests', '/profile/skip', { step: '/profile/interests' });
    expect(statusOf((await browser.get('/profile')).body, '/profile/interests')).toBe('Completed');

    await browser.submit('/profile/interests', '/profile/interests', {});
    expect(statusOf((await browser.get('/profile')).body, '/profile/interests')).toBe('Skipped');
    const [row] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, id));
    expect(row!.interests).toEqual([]);

    // Equality answers live apart: an empty save still reads Skipped, an answer later Completed.
    await browser.submit('/profile/diversity', '/profile/diversity', {});
    expect(statusOf((await browser.get('/profile')).body, '/profile/diversity')).toBe('Skipped');
    await browser.submit('/profile/diversity', '/profile/diversity', { ageBand: 'prefer-not-to-say' });
    expect(statusOf((await browser.get('/profile')).body, '/profile/diversity')).toBe('Completed');
  });

  it('ignores a skip for an address that is no step', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Nia Nowhere');
    for (const step of ['/profile/nothing', '', 'https://evil.example/profile/interests']) {
      const res = await browser.submit('/profile', '/profile/skip', { step });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/profile');
    }
    const [row] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, id));
    expect(row!.skippedSteps).toEqual({});
  });

  it('names exactly one field in every error, linked to it', async () => {
    const { browser } = await joinedContributor(app, sink, 'Olu One');
    // field → the step and a form that gets that field wrong and nothing else.
    const wrong: Record<string, [string, Record<string, string>]> = {
      region: ['/profile/availability', { region: 'Atlantis' }],
      availableTimes: ['/profile/availability', { availableTimes: 'midnight' }],
      paymentPreference: ['/profile/payment', { paymentPreference: 'bitcoin' }],
      publicSectorEmployee: ['/profile/payment', { publicSectorEmployee: 'perhaps' }],
      interests: ['/profile/interests', { interests: 'juggling' }],
    };
    for (const [field, [path, form]] of Object.entries(wrong)) {
      const res = await browser.submit(path, path, form);
      const summary = /<ul class="nhsuk-list nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? '';
      expect([res.statusCode, summary.match(/<li/g)?.length], field).toEqual([400, 1]);
      expect(summary).toContain(`href="#${field}`);
    }
    const empty = await browser.submit('/profile/availability', '/profile/availability', {});
    expect(empty.statusCode).toBe(303);
    const page = await browser.get('/profile/availability');
    expect(page.body).not.toContain('Select when you are available, how you can take part or where you live');
  });
});

describe('optional profile steps in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app } = await buildTestApp({ smtpUrl: sink.url });

  it('shows Skipped, the skip button and "what happens now" in Welsh', async () => {
    const { browser } = await joinedContributor(app, sink, 'Gwen Cymraeg');
    await browser.get('/profile?lang=cy');
    expect((await browser.get('/profile/interests')).body).toContain('Hepgor y cam hwn am y tro');
    const skipped = await browser.submit('/profile/interests', '/profile/skip', { step: '/profile/interests' });
    const profile = (await browser.get(skipped.headers.location!)).body;
    expect(statusOf(profile, '/profile/interests')).toBe("Wedi'i hepgor");
    expect(profile).toContain('Rydych wedi hepgor y cam hwnnw');

    const now = await browser.get('/profile/what-happens-now');
    expect(now.body).toContain('<html lang="cy">');
    expect(now.body).toContain('Beth sy&#39;n digwydd nawr');
    expect(now.body).not.toContain('What happens now');
    const welcome = await browser.get('/profile/welcome');
    expect(welcome.body).toContain('Diolch am ymuno, Gwen Cymraeg.');
    expect(welcome.body).not.toContain('What happens next');
  });
});
