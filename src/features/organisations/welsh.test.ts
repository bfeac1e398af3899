import { describe, expect, it } from 'vitest';

// Pages escape apostrophes; the Welsh has many.
const text = (html: string) => html.replaceAll('&#39;', "'");
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { organisations } from './tables.ts';
import { register, registration } from './test-support.ts';

// Registering a partner organisation in Welsh: the form, its errors, and the contact's emails.
describe('partner organisations in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  Object.assign(services.organisations.policy, { minFillMs: 0, perIp: { max: 1000, windowMs: 60 * 60 * 1000 } });
  const { browser: staff } = await signedInBrowser(app, 'involvement');
  // The emails to an address once `n` have arrived (the queue may deliver them in any order).
  const mailTo = async (address: string, n: number) => {
    await waitFor(() => sink.to(address).length >= n);
    return Promise.all(sink.to(address).map((m) => sink.parse(m)));
  };
  const welshBrowser = async () => {
    const b = new Browser(app);
    await b.get('/organisations?lang=cy');
    return b;
  };

  it('shows the list and the registration form in Welsh', async () => {
    const b = await welshBrowser();
    const list = await b.get('/organisations');
    expect(list.body).toContain('<html lang="cy">');
    expect(list.body).toContain('<h1>Sefydliadau partner</h1>');
    const form = await b.get('/organisations/register');
    expect(form.body).toContain('<h1>Cofrestru eich sefydliad</h1>');
    for (const t of ["Enw'r sefydliad", 'Grŵp dan arweiniad defnyddwyr', 'Elusen', 'Rhif ffôn (dewisol)', 'Anfon y cofrestriad'])
      expect(text(form.body)).toContain(t);
    expect(form.body).not.toMatch(/organisations\.[a-z]+\.[a-zA-Z]/);
  });

  it('says what is wrong in Welsh', async () => {
    const b = await welshBrowser();
    const res = await register(app, registration({ name: '', kind: 'nonsense', contactEmail: 'not-an-email', consent: '' }), b);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Mae problem');
    expect(res.body).toContain('Rhowch enw eich sefydliad');
    expect(res.body).toContain('<span class="nhsuk-u-visually-hidden">Gwall: </span>');
    expect(res.body).not.toContain('>Error: </span>');
    expect(res.body).toContain('Dewiswch pa fath o sefydliad ydyw');
    expect(res.body).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir');
    expect(res.body).toContain('Cadarnhewch eich bod yn cytuno');
    const long = await register(app, registration({ area: 'x'.repeat(121) }), b);
    expect(text(long.body)).toContain("Mae enw'r ardal yn rhy hir: defnyddiwch 120 nod neu lai");
  });

  it('remembers the language, emails the contact in Welsh, and sends the decision in Welsh', async () => {
    const b = await welshBrowser();
    const form = registration({ name: 'Grŵp Lleisiau Llanfair', contactName: 'Elin Jones', contactEmail: 'elin@example.org' });
    const res = await register(app, form, b);
    expect(res.statusCode).toBe(303);
    expect((await b.get('/organisations/register/done')).body).toContain('Diolch am gofrestru');
    const [row] = await db.select().from(organisations).where(eq(organisations.name, 'Grŵp Lleisiau Llanfair'));
    expect(row!.language).toBe('cy');

    const received = await sink.parse(await waitFor(() => sink.to('elin@example.org')[0]));
    expect(received.subject).toBe('Mae cofrestriad Grŵp Lleisiau Llanfair wedi dod i law');
    expect(received.text).toContain('Annwyl Elin Jones,');
    expect(received.html).toContain('<html lang="cy">');

    const approved = await staff.submit(`/admin/organisations/${row!.id}`, `/admin/organisations/${row!.id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const decision = (await mailTo('elin@example.org', 2)).find((m) => m.subject !== received.subject)!;
    expect(decision.subject).toBe('Mae Grŵp Lleisiau Llanfair bellach yn sefydliad partner i Coproduce');
    expect(decision.text).toContain('Gweld y rhestr o sefydliadau partner');

    // On the English list, the Welsh description is marked as Welsh.
    const list = await new Browser(app).get('/organisations');
    expect(list.body).toContain(`<p lang="cy">${String(form.description)}</p>`);
  });

  it('keeps an English registration in English, and declines it in English', async () => {
    const form = registration({ contactEmail: 'english@example.org' });
    expect((await register(app, form)).statusCode).toBe(303);
    const [row] = await db
      .select()
      .from(organisations)
      .where(eq(organisations.name, String(form.name)));
    expect(row!.language).toBe('en');
    await staff.submit(`/admin/organisations/${row!.id}`, `/admin/organisations/${row!.id}/decline`, { reason: '' });
    const decision = (await mailTo('english@example.org', 2)).find((m) => !m.subject?.startsWith('We have received'))!;
    expect(decision.subject).toBe('Your registration with Coproduce');
    expect(decision.text).toContain('We are sorry, but we cannot list it as a partner at the moment.');
  });
});
