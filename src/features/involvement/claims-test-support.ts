import { eq, sql } from 'drizzle-orm';
import { hiddenFields, type Browser, type TestApp } from '#tests/helpers/app.ts';
import type { Db } from '#src/db/client.ts';
import { claims, involvementRecords, rates } from './tables.ts';

// A tiny PDF and a PNG's first bytes: enough for the type to be read from them.
export const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

export type FilePart = { name: string; filename: string; content: Buffer };

// A browser's multipart body with any number of files (the claim form has one per expense).
export function multipartOf(fields: Record<string, string>, files: FilePart[] = []) {
  const boundary = `----claims${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// Opens the form page, then posts it as a browser would: its hidden fields (CSRF token, the claim's
// id, the receipts kept), then the given fields and files.
// Posts a form page loaded earlier (another tab, the back button): its hidden fields and the given ones.
export function postFromPage(app: TestApp['app'], browser: Browser, url: string, pageBody: string, fields: Record<string, string>) {
  const { body, contentType } = multipartOf({ ...hiddenFields(pageBody, url), ...fields });
  return app.inject({ method: 'POST', url, headers: { cookie: browser.cookieHeader, 'content-type': contentType }, payload: body });
}

export async function postClaimForm(
  app: TestApp['app'],
  browser: Browser,
  url: string,
  fields: Record<string, string>,
  files: FilePart[] = [],
) {
  const page = await browser.get(url);
  const { body, contentType } = multipartOf({ ...hiddenFields(page.body, url), ...fields }, files);
  return app.inject({ method: 'POST', url, headers: { cookie: browser.cookieHeader, 'content-type': contentType }, payload: body });
}

// The rate card rows a test needs (the rate card's pages are another area's).
export async function seedRates(db: Db) {
  return db
    .insert(rates)
    .values([
      { kind: 'meeting', name: 'Meeting', unit: 'hour', amountPence: 2500, effectiveFrom: '2025-01-01' },
      { kind: 'review', name: 'Review', unit: 'task', amountPence: 7500, effectiveFrom: '2025-01-01' },
      { kind: 'mileage', name: 'Mileage', unit: 'mile', amountPence: 45, effectiveFrom: '2025-01-01' },
    ])
    .returning();
}

let day = 0;
// An involvement record for someone: a 2½-hour meeting by default, on a different day each time.
export async function addRecord(db: Db, userId: string, values: Partial<typeof involvementRecords.$inferInsert> = {}) {
  day++;
  const [r] = await db
    .insert(involvementRecords)
    .values({
      userId,
      source: 'manual',
      title: `Panel meeting ${day}`,
      activityKind: 'meeting',
      occurredOn: `2026-05-${String((day % 27) + 1).padStart(2, '0')}`,
      minutes: 150,
      role: 'member',
      ...values,
    })
    .returning();
  return r!;
}

export const claimOf = (db: Db, recordId: number) =>
  db
    .select()
    .from(claims)
    .where(eq(claims.recordId, recordId))
    .then((r) => r[0] ?? null);

// The payment step of someone's profile, as they would have answered it.
export async function setPaymentProfile(
  db: Db,
  userId: string,
  v: { receivesBenefits?: string | null; publicSectorEmployee?: string | null; paymentPreference?: string | null },
) {
  await db.execute(
    sql`update contributor_profiles set receives_benefits = ${v.receivesBenefits ?? null}, public_sector_employee = ${v.publicSectorEmployee ?? null}, payment_preference = ${v.paymentPreference ?? null} where user_id = ${userId}`,
  );
}
