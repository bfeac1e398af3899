import type { Page } from '@playwright/test';
import { expect, test } from './helpers.ts';
import { Outbox, signedInPage } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { e2eInvolvement } from './involvement.ts';

// Fees and expenses from start to finish: staff record who came to a meeting; Pat claims the fee
// and mileage with a bus receipt; Rhi, on benefits, is given the advice and chooses vouchers; the
// staff lead enters Sol's claim for him and so cannot approve it, an admin does; the lead approves
// the others; finance exports the CSV (its total is the sum of its claims to the penny) and marks
// it paid; Pat sees "paid" and the year's total; Una, who was not there, cannot open Pat's receipt;
// a new rate leaves the old claims as they were.
test('a meeting attended becomes claims that are approved, exported, paid and seen as paid', async ({ page, newPage }, info) => {
  const v = e2eInvolvement(info.project.name);
  const outbox = new Outbox(page);

  // The lead records the meeting's attendance: everyone on the list came, for the two hours.
  await useStaffSession(page, 'involvement', '/admin/groups');
  await follow(page, page.getByRole('link', { name: v.group, exact: true }));
  await follow(page, page.getByRole('link', { name: v.meeting, exact: true }));
  await follow(page, page.getByRole('link', { name: 'Record attendance' }));
  await follow(page, page.getByRole('button', { name: 'Save attendance' }));
  await expect(page.getByText('Attendance is saved.')).toBeVisible();

  // Pat claims the fee, 23 miles and a £4.80 bus fare with its receipt.
  const pat = await signedInPage(newPage, outbox, v.pat.email);
  await visit(pat, '/profile/involvement');
  await expect(pat.getByRole('main')).toContainText(v.meeting);
  await follow(pat, pat.getByRole('link', { name: `Claim for ${v.meeting}` }));
  await expect(pat.getByLabel('Pay me the fee')).toBeChecked();
  await fillExpense(pat, 1, 'Mileage (your own car)', { miles: '23', description: 'Home to the Riverside Centre and back' });
  await fillExpense(pat, 2, 'Public transport (train, bus, tram)', { amount: '4.80', receipt: true });
  await follow(pat, pat.getByRole('button', { name: 'Send claim' }));
  await expect(pat.getByText('Your claim has been sent. We will email you at each step.')).toBeVisible();
  // £25 an hour for 2 hours, 23 miles at 45p (£10.35) and £4.80: £65.15.
  await expect(pat.getByRole('main')).toContainText('£65.15');
  const patClaim = new URL(pat.url()).pathname;
  const patReference = `C${patClaim.split('/').pop()}`;
  await outbox.open(v.pat.email, `We have your claim for ${v.meeting}`);
  const receipt = (await pat.getByRole('link', { name: 'bus-ticket.pdf' }).getAttribute('href'))!;
  expect((await pat.request.get(receipt)).status()).toBe(200);

  // Rhi receives benefits: before her first paid claim of the year she is given the advice, and
  // chooses vouchers.
  const rhi = await signedInPage(newPage, outbox, v.rhi.email);
  await visit(rhi, '/profile/involvement');
  await follow(rhi, rhi.getByRole('link', { name: `Claim for ${v.meeting}` }));
  await follow(rhi, rhi.getByRole('button', { name: 'Send claim' }));
  await expect(rhi.getByRole('heading', { level: 1 })).toHaveText('Before you send your claim');
  await expect(rhi.getByRole('main')).toContainText('Being paid for your involvement may affect means-tested benefits');
  await expect(rhi.getByRole('link', { name: /Citizens Advice/ })).toHaveAttribute('href', 'https://www.citizensadvice.org.uk/benefits/');
  await rhi.getByLabel('Give me vouchers instead').check();
  await follow(rhi, rhi.getByRole('button', { name: 'Send claim' }));
  await expect(rhi.getByText('Your claim has been sent. We will email you at each step.')).toBeVisible();
  await expect(rhi.getByRole('main')).toContainText('Give me vouchers instead');
  const rhiClaim = new URL(rhi.url()).pathname;

  // The lead enters Sol's claim for him (fee only) ...
  await visit(page, '/admin/involvement/records');
  const solRow = page.getByRole('row').filter({ hasText: v.sol.name }).filter({ hasText: v.meeting });
  await follow(page, solRow.getByRole('link', { name: v.meeting }));
  await follow(page, page.getByRole('link', { name: 'Make a claim for them' }));
  await follow(page, page.getByRole('button', { name: 'Send claim' }));
  await expect(page.getByText('The claim has been sent for approval. Another member of staff must approve it')).toBeVisible();
  const solClaim = new URL(page.url()).pathname;

  // ... so she is not offered the decision, and is told why (the server refuses it too: see
  // review-claims.test.ts). An admin approves it.
  await expect(page.getByRole('main')).toContainText('You entered this claim for the person, so another member of staff must approve');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const admin = await newPage();
  await useStaffSession(admin, 'admin', solClaim);
  await follow(admin, admin.getByRole('button', { name: 'Approve' }));
  await expect(admin.getByText('Claim approved. The person has been emailed.')).toBeVisible();

  // The lead approves Pat's and Rhi's claims; each is emailed.
  for (const [who, claim] of [
    [v.pat, patClaim],
    [v.rhi, rhiClaim],
  ] as const) {
    await visit(page, claim.replace('/profile/', '/admin/'));
    await follow(page, page.getByRole('button', { name: 'Approve' }));
    await expect(page.getByText('Claim approved. The person has been emailed.')).toBeVisible();
    await outbox.open(who.email, `Your claim for ${v.meeting} is approved`);
  }

  // Una, who was not there, cannot open Pat's claim or its receipt.
  const una = await signedInPage(newPage, outbox, v.una.email);
  expect((await una.request.get(patClaim)).status()).toBe(404);
  expect((await una.request.get(receipt)).status()).toBe(404);

  // Finance exports every approved claim, checks the CSV adds up, and marks it paid.
  await financeExportsAndPays(newPage, patReference, '65.15');
  await visit(pat, patClaim);
  await expect(pat.getByRole('main')).toContainText('Paid');
  await outbox.open(v.pat.email, `We have paid your claim for ${v.meeting}`);
  await visit(pat, '/profile/involvement');
  await expect(pat.getByRole('main')).toContainText('£50.00');

  // An admin adds a higher meeting rate from a later day: the claims made keep their amounts.
  await visit(admin, '/admin/involvement/rates');
  await admin.getByLabel('Kind', { exact: true }).fill('meeting');
  await admin.getByLabel('Name', { exact: true }).fill('Group meeting (per hour)');
  await admin.getByLabel('hour', { exact: true }).check();
  await admin.getByLabel('Amount for one unit').fill('30.00');
  const [year, month, date] = v.newRateFrom.split('-');
  const from = admin.getByRole('group', { name: /In force from/ });
  await from.getByLabel('Day').fill(date!);
  await from.getByLabel('Month').fill(month!);
  await from.getByLabel('Year').fill(year!);
  await follow(admin, admin.getByRole('button', { name: 'Add rate' }));
  await expect(admin.getByRole('main')).toContainText('£30.00 an hour');
  await visit(pat, patClaim);
  await expect(pat.getByRole('main')).toContainText('£65.15');
});

async function fillExpense(
  page: Page,
  n: number,
  kind: string,
  values: { miles?: string; amount?: string; description?: string; receipt?: boolean },
) {
  const line = page.getByRole('group', { name: `Expense ${n}` });
  await line.getByLabel('What kind of cost').selectOption({ label: kind });
  if (values.description) await line.getByLabel('Description (optional)').fill(values.description);
  if (values.miles) await line.getByLabel('Miles (mileage only)').fill(values.miles);
  if (values.amount) await line.getByLabel('Amount').fill(values.amount);
  if (values.receipt)
    await line.getByLabel('Receipt').setInputFiles({ name: 'bus-ticket.pdf', mimeType: 'application/pdf', buffer: pdf() });
}

async function financeExportsAndPays(newPage: () => Promise<Page>, reference: string, amount: string) {
  const finance = await newPage();
  await useStaffSession(finance, 'finance', '/admin/finance');
  // Unless the other journey took every approved claim a moment before.
  if (await finance.getByRole('button', { name: 'Create export' }).count()) {
    await follow(finance, finance.getByRole('button', { name: 'Create export' }));
    await expect(finance.getByText(/Export created\.|There are no approved claims to send/)).toBeVisible();
  }
  // The other journey may have exported the claim first: find the export that holds it.
  await visit(finance, '/admin/finance');
  const exports = await Promise.all((await finance.getByRole('link', { name: /^Export \d+$/ }).all()).map((l) => l.getAttribute('href')));
  for (const href of exports) {
    await visit(finance, href!);
    const csvLink = (await finance.getByRole('link', { name: 'Download the CSV' }).getAttribute('href'))!;
    const csv = await (await finance.request.get(csvLink)).text();
    if (!csv.includes(reference)) continue;
    // Its last row is the totals: the sum of the claims above it, to the penny.
    const rows = csv.trim().split(/\r?\n/).map(parseCsvLine);
    const total = rows[0]!.indexOf('Total');
    const claims = rows.slice(1, -1);
    const pence = (s: string) => Number(s.replace('.', ''));
    expect(pence(rows.at(-1)![total]!)).toBe(claims.reduce((sum, r) => sum + pence(r[total]!), 0));
    expect(claims.find((r) => r.includes(reference))![total]).toBe(amount);
    if (await finance.getByRole('button', { name: 'Mark all paid' }).count()) {
      const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).split('-');
      const paidOn = finance.getByRole('group', { name: /Date paid/ });
      await paidOn.getByLabel('Day').fill(day!);
      await paidOn.getByLabel('Month').fill(month!);
      await paidOn.getByLabel('Year').fill(year!);
      await finance.getByLabel('Payment reference (optional)').fill('BACS-E2E');
      await follow(finance, finance.getByRole('button', { name: 'Mark all paid' }));
      // Unless the other journey marked it paid a moment before.
      await expect(finance.getByText(/Export marked paid\. Each person has been told\.|This export is already marked paid/)).toBeVisible();
    }
    return;
  }
  throw new Error(`no export holds ${reference}`);
}

// One line of CSV: commas inside quotes stay, doubled quotes are one quote.
function parseCsvLine(line: string): string[] {
  const cells = [...line.replace(/^\uFEFF/, '').matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)];
  return cells.slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
}

// A small real PDF: the upload checks the type from the bytes.
function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
}
