import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

// The fair selection view compares groups, never people: nothing shows for fewer than 5 people,
// and a count under 5 reads "fewer than 5".
describe('the fair selection view', async () => {
  const { app, db } = await buildTestApp();
  const { browser: lead, staff } = await signedInBrowser(app, 'involvement');
  // Terms and diversity answers go in through the profile service, as the profile's own pages do.
  const { profile } = app.services;
  await profile.addTerm({ category: 'condition', label: 'Kidney disease' });
  await profile.addTerm({ category: 'caring', label: 'Unpaid carer' });
  const terms = await profile.terms();
  const kidney = terms.find((t) => t.label === 'Kidney disease');
  const carer = terms.find((t) => t.label === 'Unpaid carer');
  const opportunity = await createOpportunity(db, {
    status: 'closed',
    soughtTermIds: [kidney!.id, carer!.id],
    region: 'Wales',
    mode: 'both',
  });
  const url = `/admin/opportunities/${opportunity.id}/fairness`;

  it('shows nothing about diversity while fewer than 5 have applied', async () => {
    const few = await insertContributor(db, 'Only One', { region: 'Wales', termIds: [kidney!.id] });
    await createApplication(db, opportunity.id, few.id, { selection: 'selected' });
    const res = await lead.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Fewer than 5 people have applied');
    expect(res.body).toContain('Kidney disease: someone selected brings this');
    expect(res.body).toContain('Unpaid carer: nobody selected yet brings this');
    expect(res.body).toContain('Wales: someone selected brings this');
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'application.fairness-viewed'), eq(auditEvents.actorUserId, staff.id))),
    ).toHaveLength(1);
  });

  it('compares pool, shortlist and selection in groups of 5 or more', async () => {
    // Six more: seven applicants, five of them shortlisted or further, one selected so far.
    for (let i = 0; i < 6; i++) {
      const p = await insertContributor(db, `Applicant ${i}`, { region: 'London' });
      const saved = await profile.saveDiversity(
        { ...p, role: 'contributor', jobTitle: null },
        { ageBand: i < 5 ? '25 to 34' : '75 or over' },
      );
      expect(saved.ok).toBe(true);
      await createApplication(db, opportunity.id, p.id, { selection: i < 4 ? 'shortlisted' : 'new' });
    }
    const body = (await lead.get(url)).body.replace(/\s+/g, ' ');
    expect(body).toContain('Applicants: 7. Shortlist (shortlisted, selected or on the waiting list): 5. Selected: 1.');
    expect(body).toContain('What is your age?');
    // Pool: five aged 25 to 34; shortlist: four of them (fewer than 5); the selection is too small to show.
    expect(body).toContain('<th scope="row">25 to 34</th><td>5</td><td>fewer than 5</td><td>–</td>');
    expect(body).toContain('<th scope="row">75 or over</th><td>fewer than 5</td><td>0</td><td>–</td>');
    expect(body).not.toContain('Applicant 0');
  });

  it('is not there for an opportunity that does not exist', async () => {
    expect((await lead.get('/admin/opportunities/99999/fairness')).statusCode).toBe(404);
  });
});
