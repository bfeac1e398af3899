import { demo } from './env.ts';
import { expect, jsEnabled, test, unique } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';

const topicsLegend = 'What would you like to hear about?';

test('a visitor subscribes, confirms, gets a newsletter staff send, and unsubscribes from its preferences link', async ({
  page,
  newPage,
}, info) => {
  const stamp = `${info.project.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `subscriber-${stamp}@example.org`;
  // A topic of this run's own, so the newsletter goes to this subscriber alone, whatever else runs.
  const topic = `E2E topic ${stamp}`;

  // Staff, in a browser of their own, add the topic.
  // Staff use a browser without JavaScript: the newsletter page previews the email in a sandboxed
  // frame, and axe cannot run its script inside a sandboxed frame (Chromium blocks it and logs an
  // error). The visitor's pages still run with JavaScript on in the js project.
  const staff = await newPage(jsEnabled(info) ? { javaScriptEnabled: false } : {});
  await useStaffSession(staff, 'staff');
  await visit(staff, '/admin/newsletters/topics');
  await expect(staff.getByRole('heading', { level: 1, name: 'Topics' })).toBeVisible();
  await staff.getByLabel('Topic name', { exact: true }).fill(topic);
  await follow(staff, staff.getByRole('button', { name: 'Add topic' }));
  await expect(staff.getByRole('heading', { name: 'Topic added' })).toBeVisible();
  await expect(staff.getByRole('heading', { level: 2, name: topic })).toBeVisible();

  // The visitor subscribes.
  const signUp = await visit(page, '/newsletter');
  expect(signUp?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Get email updates' })).toBeVisible();
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('group', { name: topicsLegend }).getByLabel(topic, { exact: true }).check();
  const subscribed = await follow(page, page.getByRole('button', { name: 'Subscribe' }));
  expect(subscribed.status()).toBe(200);
  await expect(page).toHaveURL(/\/newsletter\/check-your-email$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  // The confirmation email arrives; the visitor opens its link and presses Confirm.
  const outbox = new Outbox(staff);
  const confirmation = await outbox.open(email, /^Confirm your subscription to emails from /);
  expect(confirmation).toContain(topic);
  // Emails come from the organisation, at MAIL_FROM's address (unset here: no-reply@localhost).
  await expect(outbox.header('From')).toHaveText(`${demo.orgName} <no-reply@localhost>`);
  const confirmPath = linkIn(confirmation, '/newsletter/confirm/');
  expect((await visit(page, confirmPath))?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your subscription' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Confirm' }));
  await expect(page).toHaveURL(/\/newsletter\/preferences\/[^/?]+\?confirmed=1$/);
  await expect(page.getByRole('heading', { name: 'You are subscribed' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Your email preferences' })).toBeVisible();
  await expect(page.getByRole('group', { name: topicsLegend }).getByLabel(topic, { exact: true })).toBeChecked();

  // Staff write a newsletter for the topic, preview it and send it.
  const subject = unique('Dates for the spring listening events');
  await visit(staff, '/admin/newsletters');
  await expect(staff.getByRole('heading', { level: 1, name: 'Newsletters' })).toBeVisible();
  await follow(staff, staff.getByRole('button', { name: 'Create a newsletter' }));
  await expect(staff.getByRole('heading', { level: 1, name: 'New newsletter' })).toBeVisible();
  await staff.getByLabel('Subject', { exact: true }).fill(subject);
  await staff
    .getByLabel('Body', { exact: true })
    .fill('## Spring listening events\n\nCome and tell us what matters to you.\n\n* 4 March, Riverside Library\n* 11 March, online');
  await staff.getByRole('radio', { name: 'People subscribed to chosen topics' }).check();
  await staff.getByRole('group', { name: 'Topics' }).getByLabel(topic, { exact: true }).check();
  await follow(staff, staff.getByRole('button', { name: 'Save and preview' }));
  await expect(staff).toHaveURL(/\/admin\/newsletters\/\d+$/);
  await expect(staff.getByText('Draft newsletter')).toBeVisible();
  await expect(staff.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(staff.getByText(`People subscribed to: ${topic}`)).toBeVisible();
  await expect(staff.locator('pre.app-email-text')).toContainText('Come and tell us what matters to you.');

  await follow(staff, staff.getByRole('main').getByRole('button', { name: 'Send', exact: true }));
  await expect(staff.getByRole('heading', { level: 1, name: 'Are you sure you want to send this newsletter?' })).toBeVisible();
  await follow(staff, staff.getByRole('button', { name: 'Yes, send it to 1 person' }));
  await expect(staff).toHaveURL(/\/admin\/newsletters\/\d+$/);
  await expect(staff.getByText('Newsletter', { exact: true })).toBeVisible();
  await expect(staff.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(staff.getByText(/ of 1 email handled/)).toBeVisible();

  // The subscriber's copy arrives with the headers mailbox providers use for one-click unsubscribe.
  const newsletter = await outbox.open(email, subject);
  await expect(outbox.header('List-Unsubscribe')).toContainText('/newsletter/unsubscribe/');
  await expect(outbox.header('List-Unsubscribe-Post')).toHaveText('List-Unsubscribe=One-Click');
  expect(newsletter).toContain('Come and tell us what matters to you.');
  await expect(outbox.header('From')).toHaveText(`${demo.orgName} <no-reply@localhost>`);

  // Anyone finds it in the archive of past newsletters, from the footer, and reads it there.
  await visit(page, '/');
  await follow(page, page.getByRole('contentinfo').getByRole('link', { name: 'Past newsletters' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Past newsletters' })).toBeVisible();
  await follow(page, page.getByRole('main').getByRole('link', { name: subject }));
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Come and tell us what matters to you.');

  // The visitor opens the preferences link from the email and unsubscribes.
  await visit(page, linkIn(newsletter, '/newsletter/preferences/'));
  await expect(page.getByRole('heading', { level: 1, name: 'Your email preferences' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Unsubscribe from all emails' }));
  await expect(page.getByRole('heading', { level: 1, name: 'You have unsubscribed' })).toBeVisible();
  await expect(page.getByText('We will not send you any more newsletters.')).toBeVisible();
});

test('an email address in the wrong format is shown in an error summary', async ({ page }) => {
  await visit(page, '/newsletter');
  await page.getByLabel('Email address', { exact: true }).fill('not-an-email-address');
  await page.getByRole('group', { name: topicsLegend }).getByRole('checkbox').first().check();
  const response = await follow(page, page.getByRole('button', { name: 'Subscribe' }));
  expect(response.status()).toBe(400);
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  const message = 'Enter an email address in the correct format, like name@example.com';
  await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', '#email');
  await expect(page.locator('#email-error')).toContainText(message);
  await expect(page.getByLabel('Email address', { exact: true })).toHaveValue('not-an-email-address');
  await expect(page).toHaveTitle(/^Error: /);
});
