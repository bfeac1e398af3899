import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { mailMessages, devOutbox } from './tables.ts';

describe('mail over SMTP', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, mailFrom: 'Coproduce <hello@example.org>' });

  it('delivers an accepted email once, with HTML and a plain-text alternative, in the organisation layout', async () => {
    const content = {
      to: 'reader@example.net',
      subject: 'Your comment is published',
      heading: 'Thank you',
      paragraphs: ['Your comment is now on our website.'],
      action: { text: 'Read it', href: 'http://localhost:3000/stories/x#comment-1' },
    };
    const id = await app.services.mail.enqueue(content, { key: 'test-1', kind: 'test' });
    const again = await app.services.mail.enqueue(content, { key: 'test-1', kind: 'test' });
    expect(again).toBe(id);
    const got = await waitFor(() => sink.delivered.find((m) => m.to.includes('reader@example.net')));
    const parsed = await simpleParser(got.raw);
    expect(parsed.subject).toBe('Your comment is published');
    expect(parsed.text).toContain('Your comment is now on our website.');
    expect(parsed.text).toContain('Read it: http://localhost:3000/stories/x#comment-1');
    expect(parsed.html).toContain('<html lang="en">');
    expect(parsed.html).toContain('Coproduce');
    expect(got.from).toBe('hello@example.org');
    const [row] = await waitFor(async () => {
      const rows = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    expect(row!.messageId).toBe(parsed.messageId);
    // Delivering the same accepted email again (a replayed job) sends nothing more.
    expect(await app.services.mail.deliver(id)).toBe('already-sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.filter((m) => m.to.includes('reader@example.net'))).toHaveLength(1);
  });

  it('escapes what people wrote in the HTML version', async () => {
    await app.services.mail.enqueue(
      { to: 'x@example.net', subject: 'Hi', paragraphs: ['<script>alert(1)</script>'], quote: '<b>bold</b>' },
      { key: 'test-esc', kind: 'test' },
    );
    const got = await waitFor(() => sink.delivered.find((m) => m.to.includes('x@example.net')));
    const parsed = await simpleParser(got.raw);
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.html).toContain('&lt;script&gt;');
    expect(parsed.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('mail when the SMTP server fails', async () => {
  const sink = await startSmtpSink({ tempFailFirst: 1 });
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });

  it('records the failure for staff and retries until it is delivered', async () => {
    const id = await app.services.mail.enqueue(
      { to: 'retry@example.net', subject: 'Retry me', paragraphs: ['Hello'] },
      { key: 'retry-1', kind: 'test' },
    );
    const failed = await waitFor(async () => {
      const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
      return row && row.attempts >= 1 ? row : undefined;
    });
    expect(failed.lastError).toMatch(/451 Try again later/);
    const { browser } = await signedInBrowser(app);
    const page = await browser.get('/admin/mail');
    expect(page.body).toContain('Retry me');
    expect(page.body).toMatch(/Attempt 1 failed/);
    // The queue retries after its back-off; deliver directly as the retry would.
    expect(await app.services.mail.deliver(id)).toBe('sent');
    expect(sink.delivered.filter((m) => m.to.includes('retry@example.net'))).toHaveLength(1);
  });
});

describe('development outbox', async () => {
  const { app, db } = await buildTestApp();

  it('keeps mail in the outbox when no SMTP_URL is set, readable only by staff', async () => {
    await app.services.mail.enqueue(
      { to: 'dev@example.net', subject: 'Outbox check', paragraphs: ['Hello from dev'] },
      { key: 'dev-1', kind: 'test' },
    );
    const row = await waitFor(async () => (await db.select().from(devOutbox).where(eq(devOutbox.toAddress, 'dev@example.net')))[0]);
    expect(row.textBody).toContain('Hello from dev');
    const anon = await app.inject('/dev/outbox');
    expect(anon.statusCode).toBe(302);
    const { browser } = await signedInBrowser(app);
    const list = await browser.get('/dev/outbox');
    expect(list.body).toContain('Outbox check');
    // One address's emails only, whatever its case; another address shows none of them.
    expect((await browser.get('/dev/outbox?to=DEV%40example.net')).body).toContain('Outbox check');
    const others = await browser.get('/dev/outbox?to=someone-else%40example.net');
    expect(others.body).not.toContain('Outbox check');
    expect(others.body).toContain('Emails to someone-else@example.net.');
    const one = await browser.get(`/dev/outbox/${row.id}`);
    expect(one.body).toContain('Hello from dev');
    expect((await browser.get('/dev/outbox/999999')).statusCode).toBe(404);
  });

  it('tells staff, in their language, that an email was cancelled because the account went', async () => {
    await db.insert(mailMessages).values({
      idempotencyKey: 'cancel-1',
      kind: 'test',
      toAddress: 'leaving@example.net',
      subject: 'Never sent',
      textBody: 'x',
      htmlBody: 'x',
    });
    await app.services.mail.forgetAddress('leaving@example.net');
    const { browser } = await signedInBrowser(app);
    const page = await browser.get('/admin/mail');
    expect(page.body).toContain('<h1>Emails</h1>');
    expect(page.body).toContain('Cancelled: the account was deleted');
    const cy = await browser.get('/admin/mail?lang=cy');
    expect(cy.body).toContain('<html lang="cy">');
    expect(cy.body).toContain('<h1>Negeseuon e-bost</h1>');
    expect(cy.body).toContain('cafodd y cyfrif ei ddileu');
    expect(cy.body).not.toMatch(/\bmail\.(?:admin|outbox)\./);
    expect((await browser.get('/dev/outbox')).body).toContain('Blwch allan datblygu');
  });
});

describe('in production', async () => {
  const { app } = await buildTestApp({ isProduction: true, env: 'production' });
  it('has no development outbox', async () => {
    const { browser } = await signedInBrowser(app);
    expect((await browser.get('/dev/outbox')).statusCode).toBe(404);
  });
});
