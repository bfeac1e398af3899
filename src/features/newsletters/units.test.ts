import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { base64Lines, buildRawMessage, encodeHeaderValue, formatMailbox, messageFrame, parseMailbox } from './sending/mime.ts';
import { csvRow, parseCsv } from './csv.ts';
import { createPreferenceTokens, hashConfirmToken, looksLikeConfirmToken, newConfirmToken } from './tokens.ts';
import { parseConsentDate } from './subscriber-admin.ts';
import { createI18n } from '#src/lib/i18n.ts';
import { greetingFor, markdownToText, styleForEmail } from './render.ts';

describe('MIME messages built for bulk sends', () => {
  it('parse back to the same subject, sender, headers and both bodies, with non-English text', async () => {
    const frame = messageFrame({
      from: parseMailbox('Ysbyty Gŵyr <news@example.org>'),
      subject: 'Newyddion – “what we heard” 🎉',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    const raw = buildRawMessage(frame, {
      to: 'sam@example.net',
      messageId: '<newsletter-1-2@example.org>',
      headers: { 'List-Unsubscribe': '<https://example.org/newsletter/unsubscribe/2.abc>, <mailto:news@example.org?subject=unsubscribe>' },
      text: `Helô Siân,\n\n${'A long line of text. '.repeat(40)}`,
      html: '<p>Helô <strong>Siân</strong></p>',
    });
    expect(
      raw
        .toString('utf8')
        .split('\r\n')
        .every((line) => line.length <= 998),
    ).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Newyddion – “what we heard” 🎉');
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Ysbyty Gŵyr', address: 'news@example.org' });
    expect(parsed.messageId).toBe('<newsletter-1-2@example.org>');
    expect(parsed.text).toContain('Helô Siân,');
    expect(parsed.text).toContain('A long line of text. A long line');
    expect(parsed.html).toContain('<strong>Siân</strong>');
    expect(parsed.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    // mailparser reads the folded List-Unsubscribe header back into its two addresses.
    const lu = (parsed.headers.get('list') as { unsubscribe: { url?: string; mail?: string } }).unsubscribe;
    expect(lu.url).toBe('https://example.org/newsletter/unsubscribe/2.abc');
    expect(lu.mail).toBe('news@example.org?subject=unsubscribe');
  });

  it('wraps base64 bodies in lines of exactly 76 characters joined by CRLF, and decodes back to the text', () => {
    for (let n = 0; n < 300; n++) {
      const text = Array.from('aé🎉\n'.repeat(n)).slice(0, n).join('');
      const wrapped = base64Lines(text);
      const lines = wrapped.split('\r\n');
      expect(lines.slice(0, -1).every((line) => line.length === 76)).toBe(true);
      expect(lines.at(-1)!.length).toBeLessThanOrEqual(76);
      expect(wrapped.replace(/\r\n/g, '')).toBe(Buffer.from(text).toString('base64'));
      expect(wrapped).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
      expect(Buffer.from(wrapped, 'base64').toString('utf8')).toBe(text);
    }
  });

  it("writes a person's header in place of a shared one of the same name, never both", () => {
    const frame = messageFrame({
      from: parseMailbox('news@example.org'),
      subject: 'S',
      headers: { 'List-Id': '<a>', 'X-Shared': 'one\r\nBcc: x@example.net' },
    });
    const raw = buildRawMessage(frame, {
      to: 't@example.net',
      messageId: '<m@x>',
      headers: { 'List-Id': '<b>' },
      text: 't',
      html: 'h',
    }).toString();
    expect(raw.split('\r\n').filter((line) => line.startsWith('List-Id:'))).toEqual(['List-Id: <b>']);
    expect(raw).toContain('X-Shared: one Bcc: x@example.net\r\n');
  });

  it('keeps encoded header words within 75 characters and leaves plain ASCII alone', () => {
    expect(encodeHeaderValue('Plain subject')).toBe('Plain subject');
    const encoded = encodeHeaderValue('ŵ'.repeat(100));
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(formatMailbox(parseMailbox('news@example.org'))).toBe('news@example.org');
    expect(formatMailbox(parseMailbox('Coproduce "Team" <news@example.org>'))).toBe('"Coproduce \\"Team\\"" <news@example.org>');
    expect(encodeHeaderValue('Evil\r\nBcc: x@example.net')).not.toMatch(/[\r\n]/);
  });
});

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, and a spreadsheet byte-order mark', () => {
    const rows = parseCsv('\uFEFFemail,name\r\n"a@example.net","Smith, ""Jo""\nSecond line"\r\n\r\nb@example.net,Bo\n');
    expect(rows).toEqual([
      { line: 1, fields: ['email', 'name'] },
      { line: 2, fields: ['a@example.net', 'Smith, "Jo"\nSecond line'] },
      { line: 5, fields: ['b@example.net', 'Bo'] },
    ]);
  });

  it('writes fields a spreadsheet cannot mistake for formulas', () => {
    expect(csvRow(['=1+2', '+44 20', '-x', '@SUM(A1)', 'a,b', 'say "hi"', null])).toBe(
      `'=1+2,'+44 20,'-x,'@SUM(A1),"a,b","say ""hi""",\r\n`,
    );
  });
});

describe('tokens', () => {
  const tokens = createPreferenceTokens('a-secret-that-is-long-enough-for-tests');
  it('accept only the token signed for that subscriber with our secret', () => {
    const t = tokens.sign(42);
    expect(tokens.verify(t)).toBe(42);
    expect(tokens.verify(t.replace(/^42/, '43'))).toBeNull();
    expect(tokens.verify(`${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(createPreferenceTokens('another-secret-that-is-long-enough').verify(t)).toBeNull();
    for (const bad of [undefined, '', '42', '0.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', `99999999999.${t.split('.')[1]}`, 'x'.repeat(100)])
      expect(tokens.verify(bad)).toBeNull();
  });
  it('keep only a hash of confirmation tokens', () => {
    const { token, hash } = newConfirmToken();
    expect(looksLikeConfirmToken(token)).toBe(true);
    expect(hash).toBe(hashConfirmToken(token));
    expect(hash).not.toContain(token);
  });
});

describe('consent dates in imports', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it('accept ISO and UK dates, and refuse nonsense and the future', () => {
    expect(parseConsentDate('2026-03-31', now)?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(parseConsentDate('2026-03-31T09:30:00Z', now)?.toISOString()).toBe('2026-03-31T09:30:00.000Z');
    expect(parseConsentDate('31/03/2026', now)?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    for (const bad of ['', '31/02/2026', '2026-13-01', 'yesterday', '2030-01-01', '1899-01-01'])
      expect(parseConsentDate(bad, now)).toBeNull();
  });
});

describe('newsletter rendering helpers', () => {
  it('style Markdown output for email clients and write links out in the text version', () => {
    expect(styleForEmail('<p>Hi <a href="https://x.org">x</a></p>')).toBe(
      '<p style="margin:0 0 16px;">Hi <a style="color:#005eb8;" href="https://x.org">x</a></p>',
    );
    expect(
      markdownToText('See [the report](https://x.org/r) and ![a chart](https://x.org/c.png) and [https://x.org](https://x.org).'),
    ).toBe('See the report (https://x.org/r) and a chart and https://x.org.');
    expect(greetingFor('  Ada ', createI18n().translator('en'))).toBe('Hello Ada,');
    expect(greetingFor('Ada', createI18n().translator('cy'))).toBe('Helo Ada,');
    expect(greetingFor(null, createI18n().translator('en'))).toBe('Hello,');
  });
});
