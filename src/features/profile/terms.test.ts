import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { livedExperienceTerms } from './tables.ts';

describe('admins edit the lived experience terms', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });

  it('adds, renames, archives and restores a term, which contributors then see (or not)', async () => {
    const { browser: admin } = await signedInBrowser(app, 'admin');
    const list = await admin.get('/admin/lived-experience');
    expect(list.statusCode).toBe(200);
    for (const group of ['Conditions', 'Services used', 'Caring roles']) expect(list.body).toContain(group);

    const added = await admin.submit('/admin/lived-experience', '/admin/lived-experience', { category: 'condition', label: 'Asthma' });
    expect(added.statusCode).toBe(303);
    const [term] = await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.label, 'Asthma'));
    expect(term).toMatchObject({ category: 'condition', archivedAt: null });

    const contributor = await joinedContributor(app, sink, 'Terms Viewer');
    expect((await contributor.browser.get('/profile/lived-experience')).body).toContain('Asthma');

    const renamed = await admin.submit(`/admin/lived-experience/${term!.id}`, `/admin/lived-experience/${term!.id}`, {
      category: 'condition',
      label: 'Asthma or COPD',
    });
    expect(renamed.statusCode).toBe(303);
    expect((await contributor.browser.get('/profile/lived-experience')).body).toContain('Asthma or COPD');

    const archived = await admin.submit('/admin/lived-experience', `/admin/lived-experience/${term!.id}/archive`, { archived: 'yes' });
    expect(archived.statusCode).toBe(303);
    expect((await contributor.browser.get('/profile/lived-experience')).body).not.toContain('Asthma or COPD');
    expect((await admin.get('/admin/lived-experience')).body).toContain('Restore<span class="nhsuk-u-visually-hidden"> Asthma or COPD');
    await admin.submit('/admin/lived-experience', `/admin/lived-experience/${term!.id}/archive`, { archived: 'no' });
    expect((await contributor.browser.get('/profile/lived-experience')).body).toContain('Asthma or COPD');
  });

  it('refuses empty, duplicate and hostile terms with the error summary', async () => {
    const { browser: admin } = await signedInBrowser(app, 'admin');
    await admin.submit('/admin/lived-experience', '/admin/lived-experience', { category: 'caring', label: 'Kinship carer' });
    const before = (await db.select().from(livedExperienceTerms)).length;
    for (const [form, message] of [
      [{ category: 'caring', label: '' }, 'Enter the term'],
      [{ category: 'nonsense', label: 'X' }, 'Select a group for the term'],
      [{ category: 'caring', label: 'Kinship carer' }, 'That term is already in this group'],
      [{ category: 'caring', label: '<img src=x onerror=alert(1)>' }, 'must not include'],
    ] as const) {
      const res = await admin.submit('/admin/lived-experience', '/admin/lived-experience', form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
      expect(res.body).not.toContain('<img src=x');
    }
    expect(await db.select().from(livedExperienceTerms)).toHaveLength(before);
    expect((await admin.get('/admin/lived-experience/notanumber')).statusCode).toBe(404);
    expect((await admin.get('/admin/lived-experience/99999')).statusCode).toBe(404);
  });

  it('is for admins only: not anonymous people, contributors, staff or involvement staff', async () => {
    const anon = await new Browser(app).get('/admin/lived-experience');
    expect(anon.statusCode).toBe(302);
    const contributor = await joinedContributor(app, sink, 'Not Admin');
    expect((await contributor.browser.get('/admin/lived-experience')).statusCode).toBe(403);
    expect((await contributor.browser.get('/admin')).statusCode).toBe(403);
    for (const role of ['staff', 'involvement'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/admin/lived-experience')).statusCode).toBe(403);
      const post = await browser.submit('/admin', '/admin/lived-experience', { category: 'condition', label: 'Sneaky' });
      expect(post.statusCode).toBe(403);
    }
    expect(await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.label, 'Sneaky'))).toHaveLength(0);
  });
});
