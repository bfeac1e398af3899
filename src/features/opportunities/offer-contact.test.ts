import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

const linkIn = (text: string, answer: string) =>
  new RegExp(`http://localhost:3000(/opportunity-offers/[^/\\s]+/${answer})`).exec(text)?.[1];

// When someone answers a waiting-list offer, the opportunity's contact hears who answered and how,
// in their own language (English unless they chose another), with a link to the applications.
describe('telling the contact that an offer was answered', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead } = await signedInBrowser(app, 'involvement');

  // Offers the place to the one person waiting, then answers through the emailed link.
  async function offerAndAnswer(contact: { contactUserId?: string | null; contactEmail?: string | null }, answer: 'accept' | 'decline') {
    const opportunity = await createOpportunity(db, { status: 'selection-done', title: 'Hip surgery panel', ...contact });
    const person = await insertContributor(db, 'Wyn Waiting');
    await createApplication(db, opportunity.id, person.id, { selection: 'waitlisted' });
    const base = `/admin/opportunities/${opportunity.id}/applications`;
    expect((await lead.submit(base, `/admin/opportunities/${opportunity.id}/offer`, {})).statusCode).toBe(303);
    const [offer] = await db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.kind, 'waitlist-offer'), eq(mailMessages.toAddress, person.email)));
    const link = linkIn(offer!.textBody, answer)!;
    const visitor = new Browser(app);
    expect((await visitor.submit(link, link, {})).statusCode).toBe(303);
    // A second press tells nobody twice.
    await visitor.submit(link, link, {});
    return { opportunity, link };
  }

  it('emails the named member of staff, in English, once', async () => {
    const contact = await insertContributor(db, 'Indira Involvement', { role: 'involvement' });
    const { opportunity } = await offerAndAnswer({ contactUserId: contact.id, contactEmail: 'team@example.org' }, 'accept');
    const delivered = await sink.parse(await waitFor(() => sink.to(contact.email).find((m) => m.raw.includes('accepted'))));
    expect(delivered.subject).toBe('Place accepted: Hip surgery panel');
    expect(delivered.text).toContain('Wyn Waiting has accepted the place we offered from the waiting list for “Hip surgery panel”.');
    expect(delivered.text).toContain(`http://localhost:3000/admin/opportunities/${opportunity.id}/applications`);
    expect(sink.to('team@example.org')).toHaveLength(0);
    expect(await db.select().from(mailMessages).where(eq(mailMessages.kind, 'offer-answered'))).toHaveLength(1);
  });

  it('writes in Welsh to a contact who chose Welsh, and to the advert’s address when nobody is named', async () => {
    const welsh = await insertContributor(db, 'Elin Cyswllt', { role: 'involvement', language: 'cy' });
    await offerAndAnswer({ contactUserId: welsh.id }, 'decline');
    const toElin = await sink.parse(await waitFor(() => sink.to(welsh.email).find((m) => m.raw.includes('gwrthod'))));
    expect(toElin.subject).toBe("Lle wedi'i wrthod: Hip surgery panel");
    expect(toElin.text).toContain('Mae Wyn Waiting wedi gwrthod y lle');

    await offerAndAnswer({ contactUserId: null, contactEmail: 'ppi@example.org' }, 'decline');
    const toTeam = await sink.parse(await waitFor(() => sink.to('ppi@example.org')[0]));
    expect(toTeam.subject).toBe('Place declined: Hip surgery panel');
    expect(toTeam.text).toContain('You can offer it to the next person on the waiting list');
  });
});
