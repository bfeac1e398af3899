import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { opportunityContactOptouts, opportunityInvitations, opportunityTypes, opportunityModes } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';
import { interestForType, reasonsToMatch, strength } from './matching.ts';

// Staff ask for people who fit an opportunity: ranked by fit, then by who has not been involved
// for longest; never people who opted out, applied or were invited; invitations emailed, recorded
// and audited.
describe('suggested people and invitations', async () => {
  const { app, db, services } = await buildTestApp();
  for (const label of ['Asthma', 'Gout']) expect((await services.profile.addTerm({ category: 'condition', label })).ok).toBe(true);
  const terms = await services.profile.terms();
  const asthma = terms.find((t) => t.label === 'Asthma')!.id;
  const gout = terms.find((t) => t.label === 'Gout')!.id;
  const opportunity = await createOpportunity(db, {
    soughtTermIds: [asthma],
    region: 'London',
    mode: 'both',
    title: 'Asthma report review',
  });
  const fits = { termIds: [asthma], interests: ['reviewing'], region: 'London', availableWays: ['online'] };
  const never = await insertContributor(db, 'Nia Neverinvolved', { ...fits, language: 'cy' });
  const lately = await insertContributor(db, 'Lee Lately', { ...fits, lastInvolvedAt: new Date('2026-06-01') });
  const longAgo = await insertContributor(db, 'Lola Longago', { ...fits, lastInvolvedAt: new Date('2024-01-01') });
  const online = await insertContributor(db, 'Owen Online', {
    termIds: [asthma],
    region: 'Wales',
    availableWays: ['online'],
    interests: [],
  });
  const noTerm = await insertContributor(db, 'Nora Noterm', { ...fits, termIds: [gout] });
  const optedOut = await insertContributor(db, 'Oscar Optedout', fits);
  const applied = await insertContributor(db, 'Ada Applied', fits);
  const invited = await insertContributor(db, 'Ivy Invited', fits);
  const staff = await insertContributor(db, 'Sam Staff', { ...fits, role: 'staff' });
  await db.insert(opportunityContactOptouts).values({ userId: optedOut.id });
  await createApplication(db, opportunity.id, applied.id, { state: 'draft', submittedAt: null });
  await db.insert(opportunityInvitations).values({ opportunityId: opportunity.id, userId: invited.id });
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const page = `/admin/opportunities/${opportunity.id}/suggestions`;

  it('ranks people who fit, with reasons in words, and never shows those left out', async () => {
    const res = await lead.get(page);
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<h1/g)).toHaveLength(1);
    const order = [never, longAgo, lately, online].map((p) => res.body.indexOf(p.name));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const left of [noTerm, optedOut, applied, invited, staff]) expect(res.body).not.toContain(left.name);
    expect(res.body).toContain('4 people fit.');
    expect(res.body).toContain('Lived experience sought: Asthma; Interested in reviewing documents; Lives in London');
    expect(res.body).toContain('Lived experience sought: Asthma; Can take part online');
    expect(res.body).toContain('those not involved for the longest time (or never) come first');
    const views = await db.select().from(auditEvents).where(eq(auditEvents.action, 'opportunity.suggestions-viewed'));
    expect(views.map((v) => v.subjectUserId).sort()).toEqual([never, longAgo, lately, online].map((p) => p.id).sort());
    // Linked from the staff page of the opportunity.
    expect((await lead.get(`/admin/opportunities/${opportunity.id}`)).body).toContain(`href="${page}"`);
  });

  it('invites the people ticked (only those still suggested), by email in their language, recorded and audited', async () => {
    const res = await lead.submit(page, `/admin/opportunities/${opportunity.id}/invitations`, {
      people: [never.id, optedOut.id, 'no-such-person'],
    });
    expect(res.statusCode).toBe(303);
    expect((await lead.get(res.headers.location as string)).body).toContain('1 person was invited by email.');
    const rows = await db.select().from(opportunityInvitations).where(eq(opportunityInvitations.opportunityId, opportunity.id));
    expect(rows.map((r) => r.userId).sort()).toEqual([invited.id, never.id].sort());
    const [email] = await db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.kind, 'opportunity-invitation'), eq(mailMessages.toAddress, never.email)));
    expect(email!.subject).toBe('Gwahoddiad i wneud cais: Asthma report review');
    expect(email!.textBody).toContain(`http://localhost:3000/opportunities/${opportunity.slug}`);
    expect(await db.select().from(mailMessages).where(eq(mailMessages.toAddress, optedOut.email))).toEqual([]);
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'opportunity.invitations-sent'));
    expect(audit!.details).toMatchObject({ opportunity: opportunity.id, count: 1 });
    expect((await lead.get(page)).body).not.toContain(never.name);
  });

  it('asks staff to choose someone, and changes nothing', async () => {
    const res = await lead.submit(page, `/admin/opportunities/${opportunity.id}/invitations`, {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select at least one person to invite');
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'opportunity.invitations-sent'))).toHaveLength(1);
  });

  it('refuses other staff and contributors, and unknown opportunities', async () => {
    const { browser: other } = await signedInBrowser(app, 'staff');
    expect((await other.get(page)).statusCode).toBe(403);
    expect((await lead.get('/admin/opportunities/999999/suggestions')).statusCode).toBe(404);
  });

  it('agrees with the matching rules for every kind of opportunity (who fits, and the ranking score)', async () => {
    const people = await services.profile.matchCandidates({
      termIds: [],
      interest: null,
      region: null,
      mode: 'online',
      excludeUserIds: [],
      limit: 0,
    });
    expect(people.total).toBe(0);
    const regions = ['London', 'Wales', null];
    for (const [i, type] of opportunityTypes.entries()) {
      for (const mode of opportunityModes) {
        const o = { type, mode, region: regions[i % 3]!, soughtTermIds: i % 2 ? [gout] : [] };
        const found = await services.profile.matchCandidates({
          termIds: o.soughtTermIds,
          interest: interestForType[type],
          region: o.region,
          mode,
          excludeUserIds: [],
          limit: 100,
        });
        const everyone = [never, lately, longAgo, online, noTerm, optedOut, applied, invited];
        const facts = await services.profile.matchFactsOf(everyone.map((p) => p.id));
        const expected = everyone.filter((p) => reasonsToMatch(o, facts.get(p.id)!).length).map((p) => p.id);
        expect(found.items.map((c) => c.userId).sort(), `${type} ${mode}`).toEqual(expected.sort());
        for (const c of found.items) expect(c.score).toBe(strength(reasonsToMatch(o, c)));
      }
    }
  });
});
