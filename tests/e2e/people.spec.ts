import { accounts } from './env.ts';
import { expect, test } from './helpers.ts';
import { joinNetwork } from './join.ts';
import { follow, useStaffSession, visit } from './pages.ts';

// Letters only, so the whole surname is one search word.
const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

// A person joins and says how they would like to be involved; involvement staff find them with the
// search and filters, open their record and add a note; an admin reads in the audit log that staff
// looked at the record and wrote the note.
test('involvement staff find a contributor with filters, open their record and add a note; an admin sees it in the audit log', async ({
  page,
  newPage,
}, info) => {
  const surname = `Zephyr${letters(8)}`;
  const name = `Quinn ${surname}`;
  const email = `people-${info.project.name}-${Date.now().toString(36)}${letters(4)}@example.org`;

  const involvement = await newPage();
  await useStaffSession(involvement, 'involvement');
  await joinNetwork(page, involvement, { name, email });

  // The contributor says what they would like to do and where they live.
  await visit(page, '/profile/interests');
  await page.getByRole('checkbox', { name: 'Co-design' }).check();
  await follow(page, page.getByRole('button', { name: 'Save and return to your profile' }));
  await visit(page, '/profile/availability');
  await page.getByRole('group', { name: 'How can you take part?' }).getByRole('checkbox', { name: 'In person' }).check();
  await page.getByLabel('Where do you live? (optional)').selectOption('North West England');
  await follow(page, page.getByRole('button', { name: 'Save and return to your profile' }));
  await expect(page.getByText('Your answers have been saved')).toBeVisible();

  // Involvement staff search by the start of the surname and narrow with filters.
  await visit(involvement, '/admin');
  await follow(involvement, involvement.getByRole('link', { name: 'People', exact: true }));
  await expect(involvement.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  await involvement.getByLabel('Search', { exact: true }).fill(surname.slice(0, 9).toLowerCase());
  await involvement.getByRole('group', { name: 'Interests' }).getByRole('checkbox', { name: 'Co-design' }).check();
  await involvement.getByLabel('Where they live').selectOption('North West England');
  await involvement.getByRole('group', { name: 'How they can take part' }).getByRole('checkbox', { name: 'In person' }).check();
  await follow(involvement, involvement.getByRole('button', { name: 'Apply filters' }));
  await expect(involvement).toHaveURL(/\/admin\/people\?q=zephyr/);
  await expect(involvement.getByRole('heading', { level: 2, name: '1 person matches' })).toBeVisible();
  const results = involvement.getByRole('table', { name: 'People' });
  await expect(results).toContainText('North West England');
  await expect(results).toContainText('Co-design');

  // A filter that does not fit them leaves nobody.
  await involvement.getByRole('group', { name: 'Interests' }).getByRole('checkbox', { name: 'Surveys' }).check();
  await involvement.getByRole('group', { name: 'Interests' }).getByRole('checkbox', { name: 'Co-design' }).uncheck();
  await follow(involvement, involvement.getByRole('button', { name: 'Search', exact: true }));
  await expect(involvement.getByRole('heading', { level: 2, name: '0 people match' })).toBeVisible();

  // The export form lists the columns, none ticked; the file itself is tested without a browser.
  await visit(involvement, `/admin/people?q=${surname}`);
  await follow(involvement, involvement.getByRole('link', { name: /^Export this person as a spreadsheet/ }));
  await expect(involvement.getByRole('heading', { level: 1, name: 'Export people as a spreadsheet' })).toBeVisible();
  await expect(involvement.getByRole('group', { name: 'Which columns do you want?' }).getByRole('checkbox', { checked: true })).toHaveCount(
    0,
  );
  await follow(involvement, involvement.getByRole('link', { name: 'Back to people' }));
  await follow(involvement, involvement.getByRole('link', { name }));
  await expect(involvement.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(involvement.getByRole('main')).toContainText(email);
  await expect(involvement.getByRole('main')).toContainText('Co-design');
  const personUrl = new URL(involvement.url());
  const personId = personUrl.pathname.split('/').pop()!;

  // An empty note is refused; a real one is added, with the author's name.
  expect((await follow(involvement, involvement.getByRole('button', { name: 'Add note' }))).status()).toBe(400);
  await expect(involvement.getByRole('alert')).toContainText('Enter a note');
  await involvement.getByLabel('Add a note').fill('Spoke on the phone: keen on the co-design group in the spring.');
  await follow(involvement, involvement.getByRole('button', { name: 'Add note' }));
  await expect(involvement.getByText('Your note has been added')).toBeVisible();
  await expect(involvement.getByRole('main')).toContainText('keen on the co-design group in the spring');
  await expect(involvement.getByRole('main')).toContainText(accounts.involvement.name);

  // An admin reads the trail: who looked and who wrote a note, about whom.
  const admin = await newPage();
  await useStaffSession(admin, 'admin');
  await visit(admin, `/admin/audit?subject=${personId}`);
  const trail = admin.getByRole('table', { name: 'Audit entries' });
  await expect(trail).toContainText('Staff looked at a contributor');
  await expect(trail).toContainText('Staff added a note about a contributor');

  // Other staff have no way in.
  const staff = await newPage();
  await useStaffSession(staff, 'staff');
  await visit(staff, '/admin');
  await expect(staff.getByRole('link', { name: 'People', exact: true })).toHaveCount(0);
  expect((await visit(staff, '/admin/people'))?.status()).toBe(403);
});
