import { readFile } from 'node:fs/promises';
import { accounts } from './env.ts';
import { expect, test } from './helpers.ts';
import { joinNetwork } from './join.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// Letters only, so the whole surname is one search word.
const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

// Every filter the register offers, so the export's audit entry carries a long unbroken search.
const everyFilter = (surname: string) =>
  `q=${surname}&interests=reviewing&interests=groups&interests=events&interests=co-design&interests=surveys` +
  '&times=weekday-daytime&times=weekday-evening&times=weekend&ways=online&ways=in-person&ways=phone';

// Involvement staff look at a contributor's record and export a search, and the contributor sees
// who looked; an admin (on a 1280-pixel screen) finds it all in the audit log by typing the person's
// name, sees names rather than account ids, reads long details without scrolling sideways and
// downloads the entries as a spreadsheet, which is itself recorded.
test('an admin finds what happened about a person by typing their name, and downloads it as a spreadsheet', async ({
  page,
  newPage,
}, info) => {
  const surname = `Auditson${letters(8)}`;
  const name = `Robin ${surname}`;
  const email = `audit-${info.project.name}-${Date.now().toString(36)}${letters(4)}@example.org`;

  const involvement = await newPage();
  await useStaffSession(involvement, 'involvement');
  await joinNetwork(page, involvement, { name, email });

  await visit(involvement, `/admin/people?q=${surname}`);
  await follow(involvement, involvement.getByRole('link', { name }));
  await expect(involvement.getByRole('heading', { level: 1, name })).toBeVisible();
  // The contributor sees who looked (which is recorded too: they saw their data).
  await visit(page, '/profile/data');
  await expect(page.getByRole('main')).toContainText(`${accounts.involvement.name}, `);
  await visit(involvement, `/admin/people/export?${everyFilter(surname)}`);
  await involvement.getByRole('group', { name: 'Which columns do you want?' }).getByRole('checkbox').first().check();
  const [peopleFile] = await Promise.all([
    involvement.waitForEvent('download'),
    involvement.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(peopleFile.suggestedFilename()).toMatch(/^people-.*\.csv$/);

  const admin = await newPage();
  await admin.setViewportSize({ width: 1280, height: 900 });
  await useStaffSession(admin, 'admin');
  await visit(admin, '/admin');
  await follow(admin, admin.getByRole('link', { name: 'Audit log', exact: true }));
  await expect(admin.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

  // Typing the person's name finds what they did and what staff did about them, by name.
  await admin.getByLabel('Person', { exact: true }).fill(surname.toLowerCase());
  await follow(admin, admin.getByRole('button', { name: 'Filter' }));
  await expect(admin.getByRole('heading', { level: 2, name: '2 entries match' })).toBeVisible();
  const trail = admin.getByRole('table', { name: 'Audit entries' });
  await expect(trail.getByRole('row')).toHaveCount(3);
  await expect(trail.getByRole('row', { name: /Staff looked at a contributor/ })).toContainText(
    `${accounts.involvement.name} (involvement staff)`,
  );
  await expect(trail.getByRole('row', { name: /Staff looked at a contributor/ }).getByRole('link', { name })).toHaveAttribute(
    'href',
    /^\/admin\/people\/[A-Za-z0-9_-]+$/,
  );
  await expect(trail.getByRole('row', { name: /Contributor downloaded their data/ }).getByRole('link', { name })).toHaveCount(2);
  await expect(admin.getByRole('main')).toContainText(`Person: ${surname.toLowerCase()}`);

  // The download carries the same filter, and is itself in the log.
  const [file] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('button', { name: /^Download these 2 entries/ }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await file.path(), 'utf8');
  expect(csv.trim().split('\r\n')).toHaveLength(3);
  expect(csv).toContain(`${accounts.involvement.name} (involvement staff),`);
  expect(csv).toContain(`,${name},`);

  await admin.getByLabel('Person', { exact: true }).fill(accounts.admin.name);
  await admin.getByLabel('Action').selectOption({ label: 'Staff downloaded the audit log' });
  await follow(admin, admin.getByRole('button', { name: 'Filter' }));
  await expect(trail.getByRole('row').nth(1)).toContainText(`person: ${surname.toLowerCase()}`);

  // Long details wrap inside their column: nothing runs off a 1280-pixel screen.
  await visit(admin, '/admin/audit?action=contributor.exported-by-staff');
  await expect(trail).toContainText(`filter: ${everyFilter(surname)}`);
  // (Evaluated in the page, as text: the journeys are typed without the browser's globals.)
  const widths = await admin.evaluate<{ page: number; viewport: number }>(
    '({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })',
  );
  expect(widths.viewport).toBe(1280);
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);

  // A date that does not exist is explained, beside the field and in the summary.
  expect((await visit(admin, '/admin/audit?from=31/2/2026'))?.status()).toBe(400);
  await expect(admin.getByRole('alert')).toContainText('The ‘from’ date must be a real date, like 27/3/2026');
});
