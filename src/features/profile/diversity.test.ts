import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { diversityMonitoring } from './tables.ts';

describe('equality and diversity monitoring', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });

  it('is optional, offers "Prefer not to say", is kept apart, and shows only in the person’s own data', async () => {
    const c = await joinedContributor(app, sink, 'Eve Equality');
    const page = await c.browser.get('/profile/diversity');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/value="prefer-not-to-say"/g)!.length).toBe(7);
    const saved = await c.browser.submit('/profile/diversity', '/profile/diversity', {
      ageBand: '35 to 44',
      religion: 'prefer-not-to-say',
    });
    expect(saved.statusCode).toBe(303);
    const [row] = await db.select().from(diversityMonitoring).where(eq(diversityMonitoring.userId, c.id));
    expect(row!.answers).toEqual({ ageBand: '35 to 44', religion: 'prefer-not-to-say' });
    expect((await c.browser.get('/profile')).body).toContain('You have completed 1 of 9 steps');
    const data = JSON.parse((await c.browser.get('/profile/data.json')).body);
    expect(data.equalityMonitoring).toEqual([
      { question: 'What is your age?', answer: '35 to 44' },
      { question: 'What is your religion?', answer: 'Prefer not to say' },
    ]);
    // The profile itself holds none of it.
    expect(JSON.stringify(data.profile)).not.toContain('35 to 44');
  });

  it('refuses answers that are not offered, storing nothing', async () => {
    const c = await joinedContributor(app, sink, 'Hostile Answers');
    const res = await c.browser.submit('/profile/diversity', '/profile/diversity', {
      sex: '<script>alert(1)</script>',
      ageBand: '25 to 34',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(await db.select().from(diversityMonitoring).where(eq(diversityMonitoring.userId, c.id))).toHaveLength(0);
  });

  it('reports only totals, refusing groups under 5 and hiding any count under 5', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await joinedContributor(app, sink, `Group Member ${i}`);
      await c.browser.submit('/profile/diversity', '/profile/diversity', { sex: i < 5 ? 'Female' : 'Male' });
      ids.push(c.id);
    }
    expect(await services.profile.diversitySummary(ids.slice(0, 4))).toBeNull();
    const summary = await services.profile.diversitySummary(ids);
    const sex = summary!.find((q) => q.key === 'sex')!;
    expect(sex.counts).toEqual(
      expect.arrayContaining([
        { answer: 'Female', count: 5 },
        { answer: 'Male', count: 'fewer than 5' },
      ]),
    );
    // Staff have no page that shows one person's answers.
    const { browser } = await signedInBrowser(app, 'admin');
    expect((await browser.get('/profile/diversity')).statusCode).toBe(403);
  });
});
