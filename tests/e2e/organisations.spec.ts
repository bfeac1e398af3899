import { expect, test, unique, waitForMinimumFillTime } from './helpers.ts';
import { Outbox } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { joinNetwork } from './join.ts';

test('an organisation registers, involvement staff approve it, and a contributor says they belong to it', async ({
  page,
  newPage,
}, info) => {
  const orgName = unique(`Harbour Lane Peer Support ${info.project.name}`);
  const contactEmail = `contact-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;

  // A visitor finds the list of partners from the footer and registers their group.
  await visit(page, '/');
  await follow(page, page.getByRole('contentinfo').getByRole('link', { name: 'Partner organisations' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Partner organisations' })).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText(orgName);
  await follow(page, page.getByRole('link', { name: 'register your interest' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Register your organisation' })).toBeVisible();

  // Sending it empty shows every problem, linked to its field.
  await waitForMinimumFillTime(page);
  const refused = await follow(page, page.getByRole('button', { name: 'Send registration' }));
  expect(refused.status()).toBe(400);
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter the name of your organisation');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Confirm that you agree');

  await page.getByLabel('Organisation name', { exact: true }).fill(orgName);
  await page.getByRole('group', { name: 'Kind of organisation' }).getByLabel('User-led group').check();
  await page
    .getByLabel('What the organisation does', { exact: true })
    .fill('A peer support group for people living with long-term pain, meeting weekly by the harbour.');
  await page.getByLabel('Area it works in', { exact: true }).fill('Harbourside');
  await page.getByLabel('Website (optional)', { exact: true }).fill('https://harbour-lane.example.org');
  await page.getByLabel('Contact name', { exact: true }).fill('Kim Osei');
  await page.getByLabel('Role in the organisation', { exact: true }).fill('Group coordinator');
  await page.getByLabel('Email address', { exact: true }).fill(contactEmail);
  await page.getByRole('group', { name: 'How we use the contact’s details' }).getByRole('checkbox').check();
  await waitForMinimumFillTime(page);
  await follow(page, page.getByRole('button', { name: 'Send registration' }));
  await expect(page).toHaveURL(/\/organisations\/register\/done$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you for registering' })).toBeVisible();

  // Involvement staff see it waiting, read the confirmation the contact was sent, and approve it.
  const staff = await newPage();
  await useStaffSession(staff, 'involvement');
  const outbox = new Outbox(staff);
  expect(await outbox.open(contactEmail, /^We have received .*’s registration$/)).toContain('Dear Kim Osei,');
  expect((await visit(staff, '/admin/organisations'))?.status()).toBe(200);
  await expect(staff.getByRole('heading', { level: 1, name: 'Partner organisations' })).toBeVisible();
  await follow(staff, staff.getByRole('link', { name: orgName }));
  await expect(staff.getByRole('heading', { level: 1, name: orgName })).toBeVisible();
  await expect(staff.getByRole('main')).toContainText(contactEmail);
  await follow(staff, staff.getByRole('button', { name: 'Approve' }));
  await expect(staff.getByText('Organisation approved. We have emailed its contact.')).toBeVisible();
  expect(await outbox.open(contactEmail, /is now a partner organisation of /)).toContain('/organisations');

  // It is on the public list now, with its website.
  await visit(page, '/organisations');
  const listed = page.locator('.app-organisation').filter({ hasText: orgName });
  await expect(listed).toContainText('User-led group');
  await expect(listed).toContainText('Harbourside');
  await expect(listed.getByRole('link', { name: /harbour-lane\.example\.org/ })).toHaveAttribute('rel', 'noopener');

  // A contributor joins and says they belong to it.
  const contributor = await newPage();
  await joinNetwork(contributor, staff, { name: 'Lee Member', email: `member-${contactEmail}` });
  const task = contributor.locator('.nhsuk-task-list__item').filter({ hasText: 'Organisations you belong to' });
  await expect(task).toContainText('Not started');
  await follow(contributor, task.getByRole('link', { name: /Organisations you belong to/ }));
  await expect(contributor.getByRole('heading', { level: 1, name: 'Organisations you belong to' })).toBeVisible();
  await contributor.getByLabel(orgName, { exact: true }).check();
  await follow(contributor, contributor.getByRole('button', { name: 'Save and return to your profile' }));
  await expect(contributor).toHaveURL(/\/profile\?saved=organisations$/);
  await expect(task).toContainText('Completed');

  await follow(contributor, contributor.getByRole('link', { name: 'See or download your data' }));
  await expect(contributor.getByRole('main')).toContainText(`${orgName} (User-led group)`);
});

test('plain staff cannot open the partner organisations pages', async ({ page }) => {
  await useStaffSession(page, 'staff');
  const response = await visit(page, '/admin/organisations');
  expect(response?.status()).toBe(403);
});
