import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { applications } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

const linkIn = (text: string, answer: string) =>
  new RegExp(`http://localhost:3000(/opportunity-offers/[^/\\s]+/${answer})`).exec(text)?.[1];

// A selected person drops out: staff offer the place to the next on the waiting list with one
// button; the emailed links work without signing in, once, until the offer expires.
describe('offering a waiting-list place', async () => {
  const { app, db } = await buildTestApp();
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const opportunity = await createOpportunity(db, { status: 'selection-done', title: 'Stroke research panel' });
  const base = `/admin/opportunities/${opportunity.id}/applications`;
  const first = await insertContributor(db, 'Wyn Waiting');
  const later = await insertContributor(db, 'Lowri Later');
  const firstApp = await createApplication(db, opportunity.id, first.id, {
    selection: 'waitlisted',
    submittedAt: new Date('2026-01-01'),
    language: 'cy',
  });
  const laterApp = await createApplication(db, opportunity.id, later.id, { selection: 'waitlisted', submittedAt: new Date('2026-01-02') });
  const offerTo = async (email: string) =>
    (
      await db
        .select()
        .from(mailMessages)
        .where(and(eq(mailMessages.kind, 'waitlist-offer'), eq(mailMessages.toAddress, email)))
    )[0];

  it('offers the place to whoever applied first, in their language, and the link accepts it once', async () => {
    expect((await lead.get(base)).body).toContain('2 people on the waiting list have not been offered a place.');
    const res = await lead.submit(base, `/admin/opportunities/${opportunity.id}/offer`, {});
    expect(res.statusCode).toBe(303);
    expect((await lead.get(res.headers.location as string)).body).toContain('Wyn Waiting has been offered a place by email.');
    const email = (await offerTo(first.email))!;
    expect(email.subject).toBe('Mae lle wedi dod yn rhydd: Stroke research panel');
    expect(await offerTo(later.email)).toBeUndefined();

    const visitor = new Browser(app);
    const accept = linkIn(email.textBody, 'accept')!;
    const page = await visitor.get(accept);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Accept your place on “Stroke research panel”');
    // Opening the link changes nothing; the button does.
    expect((await db.select().from(applications).where(eq(applications.id, firstApp.id)))[0]!.selection).toBe('waitlisted');
    const answered = await visitor.submit(accept, accept, {});
    expect(answered.statusCode).toBe(303);
    expect((await visitor.get(accept)).body).toContain('You have accepted your place');
    const [row] = await db.select().from(applications).where(eq(applications.id, firstApp.id));
    expect(row).toMatchObject({ selection: 'selected', offerResponse: 'accepted' });
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'application.offer-accepted'))).toHaveLength(1);

    // Declining afterwards through the other link changes nothing.
    const decline = linkIn(email.textBody, 'decline')!;
    await visitor.submit(decline, decline, {});
    expect((await db.select().from(applications).where(eq(applications.id, firstApp.id)))[0]!.offerResponse).toBe('accepted');
  });

  it('refuses altered links and answers expired offers kindly', async () => {
    await lead.submit(base, `/admin/opportunities/${opportunity.id}/offer`, {});
    const email = (await offerTo(later.email))!;
    const decline = linkIn(email.textBody, 'decline')!;
    const visitor = new Browser(app);
    const forged = decline.replace(`/${laterApp.id}.`, `/${firstApp.id}.`);
    expect((await visitor.get(forged)).statusCode).toBe(404);
    expect((await visitor.get(decline.replace('/decline', '/maybe'))).statusCode).toBe(404);

    await db
      .update(applications)
      .set({ offerExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(applications.id, laterApp.id));
    expect((await visitor.get(decline)).body).toContain('This offer has ended');
    await visitor.submit(decline, decline, {});
    expect((await db.select().from(applications).where(eq(applications.id, laterApp.id)))[0]!.offerResponse).toBeNull();

    const none = await lead.submit(base, `/admin/opportunities/${opportunity.id}/offer`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Nobody on the waiting list is left to offer a place to');
  });
});
