import { describe, expect, it } from 'vitest';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { defaultSettings } from '#src/platform/settings/service.ts';
import { displayMailbox, parseMailbox, senderFor } from './sender.ts';
import { mailModule } from './index.ts';

describe('who emails come from', () => {
  it('is the organisation’s name at MAIL_FROM’s address, unless MAIL_FROM names a sender itself', () => {
    expect(senderFor('news@example.org', 'Riverside Health Insight')).toEqual({
      name: 'Riverside Health Insight',
      address: 'news@example.org',
    });
    expect(senderFor('Riverside News <news@example.org>', 'Riverside Health Insight')).toEqual({
      name: 'Riverside News',
      address: 'news@example.org',
    });
    expect(senderFor('"Smith, Jones & Co" <a@example.org>', 'X')).toEqual({ name: 'Smith, Jones & Co', address: 'a@example.org' });
    // A name that would break the header is made safe.
    expect(senderFor('a@example.org', 'Evil\r\nBcc: x@example.net <y>').name).not.toMatch(/[\r\n<>]/);
    expect(displayMailbox(parseMailbox('a@example.org'))).toBe('a@example.org');
    expect(displayMailbox({ name: 'Ysbyty Gŵyr', address: 'a@example.org' })).toBe('Ysbyty Gŵyr <a@example.org>');
  });

  it('defaults to no-reply@localhost, remembering that MAIL_FROM was not set', async () => {
    const { loadConfig } = await import('#src/config.ts');
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ mailFrom: 'no-reply@localhost', mailFromSet: false });
    expect(loadConfig({ NODE_ENV: 'test', MAIL_FROM: 'news@example.org' })).toMatchObject({
      mailFrom: 'news@example.org',
      mailFromSet: true,
    });
  });
});

describe('emails over SMTP', async () => {
  const sink = await startSmtpSink();
  const { app, services } = await buildTestApp({ smtpUrl: sink.url, mailFrom: 'hello@example.org' });

  it('come from the organisation’s name in the settings, and follow a change of name', async () => {
    await services.settings.update({ ...defaultSettings, name: 'Riverside Health Insight' });
    await services.mail.enqueue({ to: 'one@example.net', subject: 'Hello', paragraphs: ['Hi'] }, { key: 'sender-1', kind: 'test' });
    const first = await sink.parse(await waitFor(() => sink.to('one@example.net')[0]));
    expect(first.from?.value[0]).toEqual({ name: 'Riverside Health Insight', address: 'hello@example.org' });

    await services.settings.update({ ...defaultSettings, name: 'Ysbyty Gŵyr, Abertawe' });
    await services.mail.enqueue({ to: 'two@example.net', subject: 'Hello', paragraphs: ['Hi'] }, { key: 'sender-2', kind: 'test' });
    const second = await sink.parse(await waitFor(() => sink.to('two@example.net')[0]));
    expect(second.from?.value[0]).toEqual({ name: 'Ysbyty Gŵyr, Abertawe', address: 'hello@example.org' });
    await services.settings.update(defaultSettings);
  });

  it('and newsletters come from the same sender', async () => {
    await services.settings.update({ ...defaultSettings, name: 'Riverside Health Insight' });
    const prepared = await services.newsletters.renderer.prepare({ id: 1, subject: 'News', body: 'Body', slug: null });
    expect(prepared.frame.sender).toEqual({ name: 'Riverside Health Insight', address: 'hello@example.org' });
    expect(prepared.frame.from).toBe('"Riverside Health Insight" <hello@example.org>');
    await services.settings.update(defaultSettings);
  });

  it('tells admins, and only admins, on the staff home while MAIL_FROM is unset in production', async () => {
    const { staff } = await signedInBrowser(app, 'admin');
    const admin = { id: staff.id, name: 'A', email: staff.email, role: 'admin', jobTitle: null };
    const ctx = app.featureContext;
    const summary = (config: Partial<typeof ctx.config>, user = admin) =>
      mailModule.adminSummary!({ ...ctx, config: { ...ctx.config, ...config } }, user);
    const warned = (counts: { text: string }[]) => counts.some((c) => c.text === 'mail.admin.waiting.mailFromUnset');
    expect(warned(await summary({ isProduction: true, mailFromSet: false }))).toBe(true);
    expect(warned(await summary({ isProduction: true, mailFromSet: true }))).toBe(false);
    expect(warned(await summary({ isProduction: false, mailFromSet: false }))).toBe(false);
    expect(warned(await summary({ isProduction: true, mailFromSet: false }, { ...admin, role: 'staff' }))).toBe(false);
  });
});
