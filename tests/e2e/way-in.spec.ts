import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2ePort } from './env.ts';
import { expect, test } from './helpers.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { joinNetwork } from './join.ts';

// Finding the way in and out, optional profile steps, and the community rules.

const newPerson = (label: string, project: string) => {
  const stamp = `${project}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${label} ${project}`, email: `${label.toLowerCase().replace(/\W+/g, '-')}-${stamp}@example.org` };
};

test('a visitor finds Sign in from the home page and reaches the contributor sign-in choices', async ({ page }) => {
  await visit(page, '/');
  const header = page.getByRole('navigation', { name: 'Main menu' });
  await follow(page, header.getByRole('link', { name: 'Sign in', exact: true }));
  await expect(page).toHaveURL(/\/sign-in\/choose$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in with a password or passkey' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'sign in to the staff area' })).toHaveAttribute('href', '/sign-in');

  await follow(page, page.getByRole('link', { name: 'Get a link by email' }));
  await expect(page).toHaveURL(/\/sign-in\/email$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in with an email link' })).toBeVisible();
});

test('a contributor skips a profile step, the task list shows it skipped, and signing out says so', async ({ page, newPage }, info) => {
  const staff = await newPage();
  await useStaffSession(staff, 'staff');
  await joinNetwork(page, staff, newPerson('Skipper', info.project.name));

  const interests = page.locator('.nhsuk-task-list__item').filter({ hasText: 'Interests' });
  await expect(interests).toContainText('Not started');
  await follow(page, interests.getByRole('link', { name: 'Interests' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Interests' })).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Skip this step for now' }));
  await expect(page).toHaveURL(/\/profile\?saved=skipped$/);
  await expect(page.getByText('You skipped that step')).toBeVisible();
  await expect(interests).toContainText('Skipped');

  // An empty save is accepted too, and says Skipped.
  const availability = page.locator('.nhsuk-task-list__item').filter({ hasText: 'Availability' });
  await follow(page, availability.getByRole('link', { name: 'Availability' }));
  await follow(page, page.getByRole('button', { name: 'Save and return to your profile' }));
  await expect(page).toHaveURL(/\/profile\?saved=availability$/);
  await expect(availability).toContainText('Skipped');

  // Signing out, from the header.
  await follow(page, page.getByRole('navigation', { name: 'Main menu' }).getByRole('button', { name: /^Sign out/ }));
  await expect(page).toHaveURL(/\/signed-out$/);
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the home page' })).toBeVisible();
  await follow(page, page.getByRole('link', { name: 'Sign in again' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});

// The rules are one document shared by both projects' journeys: one edits and checks at a time.
async function holdingRulesLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `coproduce-e2e-${e2ePort}-rules.lock`);
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (tries > 600) throw new Error(`the rules lock ${lock} is held too long`);
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

test('an admin edits the community rules and /rules shows the change', async ({ page, newPage }, info) => {
  // Anyone finds the rules from the footer.
  const visitor = await newPage();
  await visit(visitor, '/');
  await follow(visitor, visitor.getByRole('contentinfo').getByRole('link', { name: 'Community rules' }));
  await expect(visitor.getByRole('heading', { level: 1, name: 'Community rules' })).toBeVisible();

  await useStaffSession(page, 'admin', '/admin');
  await follow(page, page.getByRole('main').getByRole('link', { name: 'Community rules' }));
  await expect(page).toHaveURL(/\/admin\/rules$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Community rules' })).toBeVisible();
  const rule = `Be patient with each other (${info.project.name} ${Date.now().toString(36)})`;
  await holdingRulesLock(async () => {
    await page.getByLabel('Rules in English', { exact: true }).fill(`## Our rules\n\n- ${rule}`);
    await follow(page, page.getByRole('button', { name: 'Save the rules' }));
    await expect(page.getByText('The community rules have been saved')).toBeVisible();
    await visit(visitor, '/rules');
    await expect(visitor.getByRole('heading', { level: 2, name: 'Our rules' })).toBeVisible();
    await expect(visitor.getByRole('main').getByRole('listitem')).toHaveText(rule);
  });
});
