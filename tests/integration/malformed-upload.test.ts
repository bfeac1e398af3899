import { describe, expect, it } from 'vitest';
import { createI18n } from '#src/lib/i18n.ts';
import { count } from 'drizzle-orm';
import { hiddenFields, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { malformedMultipart } from '#tests/helpers/hostile-multipart.ts';
import { UNREADABLE_UPLOAD } from '#src/platform/jobs/csv-upload.ts';
import { contributorImports } from '#src/features/people/tables.ts';
import { newsletterImports } from '#src/features/newsletters/tables.ts';

// Issue 17, finding 3: a multipart body without a boundary, with the wrong one or cut off inside
// the file answered 500. Each now shows the upload form again, saying to choose the file again.
const { app, db } = await buildTestApp();
const stored = async () =>
  Number((await db.select({ n: count() }).from(contributorImports))[0]!.n) +
  Number((await db.select({ n: count() }).from(newsletterImports))[0]!.n);

describe('an upload that cannot be read', () => {
  it('re-shows the form with the NHS error summary on both import routes, and stores nothing', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const problems: string[] = [];
    for (const url of ['/admin/people/import', '/admin/newsletters/subscribers/import']) {
      const fields = hiddenFields((await browser.get(url)).body, url);
      expect(fields._csrf).toBeTruthy();
      for (const [shape, { contentType, body }] of Object.entries(malformedMultipart(fields))) {
        const res = await app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { 'content-type': contentType, cookie: browser.cookieHeader },
        });
        const where = `${url} with ${shape}: ${res.statusCode}`;
        if (res.statusCode !== 400) problems.push(where);
        else if (!res.body.includes('nhsuk-error-summary') || !res.body.includes(createI18n().translator('en').message(UNREADABLE_UPLOAD)))
          problems.push(`${where} without the message`);
      }
    }
    expect(problems).toEqual([]);
    expect(await stored()).toBe(0);
  });
});
