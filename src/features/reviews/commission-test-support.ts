import { deflateSync } from 'node:zlib';
import { Browser, hiddenFields, type TestApp } from '#tests/helpers/app.ts';
import { multipart } from '#tests/helpers/multipart.ts';

// A small PDF with one page per entry, each showing its text with Tj and TJ; the content streams
// FlateDecode-compressed or not. Enough for the text extractor, as a real writer lays it out.
export function testPdf(pages: string[], compress: boolean): Buffer {
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from(`<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + i * 2} 0 R`).join(' ')}] /Count ${pages.length} >>`),
  ];
  pages.forEach((text, i) => {
    objects.push(Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + i * 2} 0 R >>`));
    const [first, ...rest] = text.split('\n');
    const lines = rest.map((l) => `0 -16 Td [(${l.slice(0, 3)}) -20 (${l.slice(3)})] TJ`).join(' ');
    const content = Buffer.from(`BT /F1 12 Tf 72 720 Td (${first}) Tj ${lines} ET`, 'latin1');
    const data = compress ? deflateSync(content) : content;
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Length ${data.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`),
        data,
        Buffer.from('\nendstream'),
      ]),
    );
  });
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  objects.forEach((o, i) => parts.push(Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')));
  parts.push(Buffer.from(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\n%%EOF\n`));
  return Buffer.concat(parts);
}

// The review form's fields, filled in: a Markdown document due in about a month.
export function reviewForm(overrides: Record<string, string> = {}): Record<string, string> {
  const due = new Date(Date.now() + 30 * 24 * 3600_000);
  return {
    title: 'Draft report on waiting times',
    kind: 'research-report',
    brief: 'Tell us whether the **summary** makes sense.\nSecond line of the brief.',
    source: 'markdown',
    documentMarkdown: 'Some words first.\n\n# Summary\nThe summary.\n\n## Findings\nWhat we found.',
    sourceUrl: '',
    pageText: '',
    'deadline-day': String(due.getUTCDate()),
    'deadline-month': String(due.getUTCMonth() + 1),
    'deadline-year': String(due.getUTCFullYear()),
    deadlineTime: '17:00',
    activityKind: '',
    estimatedHours: '2',
    ...overrides,
  };
}

// Posts the review form (multipart, as the browser sends it) with the page's CSRF token.
export async function postReviewForm(
  app: TestApp['app'],
  browser: Browser,
  action: string,
  fields: Record<string, string>,
  file?: { filename: string; content: Buffer },
) {
  const page = await browser.get(action);
  const { body, contentType } = multipart({ ...hiddenFields(page.body, action), ...fields }, file && { name: 'file', ...file });
  return app.inject({ method: 'POST', url: action, payload: body, headers: { 'content-type': contentType, cookie: browser.cookieHeader } });
}

export const reviewIdFrom = (location: unknown) => Number(/\/admin\/reviews\/(\d+)/.exec(String(location))?.[1]);
