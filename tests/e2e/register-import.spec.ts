import { expect, expectNoAxeViolations, test } from './helpers.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// Involvement staff bring an existing register in from a spreadsheet: upload, say what the
// columns hold, start, watch the progress (refreshing by itself, with or without JavaScript) and
// read the rows that were not imported, and why.
test('involvement staff import a register with some bad rows and read the report', async ({ page }, info) => {
  const stamp = `${info.project.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const csv = [
    'Full name,Contact,Region,Lived experience,Consent date,How consent was given,Notes',
    `Rowan Ash,rowan-${stamp}@example.net,London,Diabetes,31/03/2024,Paper form at open day,likes tea`,
    `Kit Birch,kit-${stamp}@example.net,Wales,Caring for a parent; Diabetes,2024-05-01,Online form,`,
    `No Email,,London,,2024-05-01,Online form,`,
    `Wrong Place,wrong-${stamp}@example.net,Atlantis,,2024-05-01,Online form,`,
    `Not Yet,notyet-${stamp}@example.net,London,,2099-01-01,Online form,`,
    `Rowan Again,rowan-${stamp}@example.net,London,,2024-05-01,Online form,`,
  ].join('\r\n');

  await useStaffSession(page, 'involvement');
  const start = await visit(page, '/admin/people/import');
  expect(start?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Import an existing register' })).toBeVisible();
  await expect(page.getByText('a row without one is not imported')).toBeVisible();

  // A file that is not CSV is explained, and nothing is kept.
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'register.xlsx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 8, 0]),
  });
  expect((await follow(page, page.getByRole('button', { name: 'Upload and continue' }))).status()).toBe(400);
  await expect(page.getByRole('alert').getByRole('link', { name: /must be a CSV file/ })).toBeVisible();

  await page
    .getByLabel('CSV file', { exact: true })
    .setInputFiles({ name: `register-${stamp}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await follow(page, page.getByRole('button', { name: 'Upload and continue' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Say what each column holds' })).toBeVisible();
  // Guessed from the names; "Contact" is for staff to say.
  await expect(page.getByLabel('Column “Full name”')).toHaveValue('fullName');
  await expect(page.getByLabel('Column “Consent date”')).toHaveValue('consentDate');
  await expect(page.getByLabel('Column “Notes”')).toHaveValue('ignore');
  await expect(page.getByLabel('Column “Contact”')).toHaveValue('ignore');
  // Continuing without an email column is refused with the reason.
  expect((await follow(page, page.getByRole('button', { name: 'Continue' }))).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Choose the column that holds email address');
  await page.getByLabel('Column “Contact”').selectOption('email');
  await follow(page, page.getByRole('button', { name: 'Continue' }));

  await expect(page.getByRole('heading', { level: 1, name: 'Check and start the import' })).toBeVisible();
  await expect(page.getByText('6 rows of people')).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Start the import' }));

  // The progress page refreshes itself (meta refresh without JavaScript, live with it) until done.
  await expect(page.getByRole('heading', { level: 1, name: 'Import report' })).toBeVisible({ timeout: 30_000 });
  await expectNoAxeViolations(page);
  await expect(page.locator('progress')).toHaveAttribute('value', '6');
  await expect(page.getByText('2 of 6 rows were imported and 4 rejected. Nobody was emailed.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Rows not imported, and why' });
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(table).toContainText('Email address is missing');
  await expect(table).toContainText('Unknown region: Atlantis');
  await expect(table).toContainText('Consent date is not a date, or is in the future');
  await expect(table).toContainText('Same email address as line 2');

  const download = page.getByRole('link', { name: /Download the rejected rows as CSV/ });
  const csvResponse = await page.request.get((await download.getAttribute('href'))!);
  expect(csvResponse.status()).toBe(200);
  const lines = (await csvResponse.text()).trim().split('\r\n');
  expect(lines[0]).toBe('line,email,reason');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['4', '5', '6', '7']);
});
