import type { Page } from '@playwright/test';
import { expect, test, unique } from './helpers.ts';
import { linkIn, Outbox } from './outbox.ts';
import { CommentForm, follow, ModerationQueue, useStaffSession, visit } from './pages.ts';

// Holding us to account (issue 15). Every journey makes its own commitments, framework and rounds,
// named for the project, so the runs with and without JavaScript never meet.

// Staff add a promise with two commitments under it; a reader follows it by email (double opt-in)
// and comments (moderated); staff post an update and move one commitment under it; the promise's
// progress follows, the follower gets exactly one email for the update, and stops them in one go.
test('a reader follows and comments on a commitment; staff update it and its roll-up moves; the follower gets one email and stops', async ({
  page,
  newPage,
}, info) => {
  const p = info.project.name;
  const promise = `Answer every letter within a week (${p})`;
  const outbox = new Outbox(page);
  await useStaffSession(page, 'staff', '/admin/commitments');
  const promisePage = await addCommitment(page, { title: promise, status: 'In progress' });
  await addCommitment(page, { title: `Reply to the letters we have (${p})`, status: 'Done', partOf: promise });
  const training = await addCommitment(page, {
    title: `Train the team to write plainly (${p})`,
    status: 'In progress',
    progress: '20',
    partOf: promise,
  });

  // A reader finds it among our commitments: the average of 100% and 20%.
  const reader = await newPage();
  await visit(reader, '/commitments');
  await expect(reader.getByText(/commitments? on track/)).toBeVisible();
  await follow(reader, reader.getByRole('link', { name: promise }));
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(promise);
  await expect(reader.getByText('60%').first()).toBeVisible();
  await expect(reader.getByText(/The average of 2 commitments/)).toBeVisible();
  const publicPath = new URL(reader.url()).pathname;

  // They ask for updates, and only the emailed link's Confirm button starts them.
  const email = `follower-${p}-${Date.now().toString(36)}@example.net`;
  await reader.locator('#follow-email').fill(email);
  await follow(reader, reader.getByRole('button', { name: 'Get updates' }));
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  const confirmation = await outbox.open(email, `Confirm you want updates about ${promise}`);
  await visit(reader, linkIn(confirmation, '/follow/confirm/'));
  await follow(reader, reader.getByRole('button', { name: 'Confirm' }));
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`You are following ${promise}`);

  // They comment; it appears once staff approve it.
  await visit(reader, publicPath);
  const said = unique('Please say how many letters wait more than a week.');
  const form = new CommentForm(reader);
  await form.fill({ name: 'Rhian Reader', email, comment: said });
  await form.send();
  await expect(reader.getByRole('heading', { level: 1, name: 'Thank you for your comment' })).toBeVisible();
  const queue = await new ModerationQueue(page).open();
  await queue.approve(said);
  await visit(reader, publicPath);
  await expect(reader.getByText(said)).toBeVisible();

  // Staff post an update on the promise, then move the training on: the promise rolls up to 90%.
  await visit(page, promisePage);
  await page.getByLabel('Title', { exact: true }).fill('Half the backlog is cleared');
  await page.getByLabel('Update', { exact: true }).fill('We answered **400** letters in October.');
  await follow(page, page.getByRole('button', { name: 'Publish update' }));
  await expect(page.getByText('Update published.')).toBeVisible();
  await visit(page, training);
  await page.getByLabel('Progress', { exact: true }).fill('80');
  await follow(page, page.getByRole('button', { name: 'Save status and progress' }));
  await expect(page.getByText('Status and progress saved.')).toBeVisible();
  await visit(reader, publicPath);
  await expect(reader.getByText('90%').first()).toBeVisible();
  await expect(reader.getByText('Half the backlog is cleared').first()).toBeVisible();

  // One email for the update (the training's change was not sent), with a working unsubscribe.
  const update = await outbox.open(email, `An update on our commitment: ${promise}`);
  await expect(outbox.header('List-Unsubscribe-Post')).toHaveText('List-Unsubscribe=One-Click');
  const listed = await (await page.request.get(`/dev/outbox?to=${encodeURIComponent(email)}`)).text();
  expect(listed.split(`An update on our commitment: ${promise}`).length - 1).toBe(1);
  expect(listed).not.toContain(`Progress on our commitment: ${promise}`);
  await visit(reader, linkIn(update, '/follow/unsubscribe/'));
  await follow(reader, reader.getByRole('button', { name: 'Stop updates' }));
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText('You will not get any more updates');
});

// An admin adds a framework of their own (standards are data); staff assess against it twice. The
// second round has a link as evidence and an action that becomes a commitment in one step; once
// both are completed and published, the public summary shows how the standard moved between them.
test('an assessment round is completed with evidence and an action made a commitment; the summary shows the movement since the last round', async ({
  page,
}, info) => {
  const p = info.project.name;
  const framework = `Our own involvement standards (${p})`;
  await useStaffSession(page, 'admin', '/admin/standards/frameworks');
  await follow(page, page.getByRole('link', { name: 'Add a framework' }));
  await page.getByLabel('Name', { exact: true }).fill(framework);
  await page.getByLabel('Edition', { exact: true }).fill('2026');
  await follow(page, page.getByRole('button', { name: 'Save the framework' }));
  await follow(page, page.getByRole('link', { name: 'Add a standard' }));
  await page.getByLabel('Name', { exact: true }).fill('Listening');
  await page.getByLabel('Reflective questions', { exact: true }).fill('Who did we not hear from?\nWhat did we change because we listened?');
  await follow(page, page.getByRole('button', { name: 'Save the standard' }));
  await expect(page.getByText('The standard is added')).toBeVisible();

  const first = await startRound(page, { title: `Baseline (${p})`, framework, year: '2024' });
  await rate(page, first, 'Developing', 'We asked, but rarely said what we did with the answers.');
  await complete(page, first);
  await follow(page, page.getByRole('button', { name: 'Publish the summary' }));

  const second = await startRound(page, { title: `Annual review (${p})`, framework, year: '2025' });
  await rate(page, second, 'Established', 'Every project now ends with a you said, we did entry.');
  await page.getByLabel('A page on this site').selectOption({ label: 'Commitment: Our promise to involve people' });
  await follow(page, page.getByRole('button', { name: 'Add the link' }));
  await expect(page.getByText('The evidence is added')).toBeVisible();
  await page.getByLabel('What we will do', { exact: true }).fill(`Hear from people under 25 in every project (${p})`);
  await follow(page, page.getByRole('button', { name: 'Add the action' }));
  await follow(page, page.getByRole('button', { name: 'Make this a commitment' }));
  await expect(page.getByText(/A draft commitment is made from the action/)).toBeVisible();
  await visit(page, '/admin/commitments');
  await expect(page.getByRole('link', { name: `Hear from people under 25 in every project (${p})` })).toBeVisible();
  await complete(page, second);
  await follow(page, page.getByRole('button', { name: 'Publish the summary' }));
  await expect(page.getByText('The summary is published')).toBeVisible();

  // The public summary: the rating, the evidence, the action and the movement since the baseline.
  await visit(page, '/standards');
  await follow(page, page.getByRole('link', { name: `Annual review (${p})` }));
  const main = page.getByRole('main');
  await expect(main).toContainText('Every project now ends with a you said, we did entry.');
  await expect(main).toContainText('Up from Developing');
  await expect(main.getByRole('link', { name: 'Our promise to involve people' })).toBeVisible();
  await expect(main).toContainText(`Hear from people under 25 in every project (${p})`);
});

// Adds a commitment on the staff form, publishes it, and returns its staff page's path.
async function addCommitment(page: Page, c: { title: string; status: string; progress?: string; partOf?: string }): Promise<string> {
  await visit(page, '/admin/commitments/new');
  await page.getByLabel('Title', { exact: true }).fill(c.title);
  await page.getByLabel('What we promised', { exact: true }).fill(`We will: ${c.title.toLowerCase()}.`);
  await page.getByLabel('Status', { exact: true }).selectOption({ label: c.status });
  if (c.progress) await page.getByLabel('Progress (optional)', { exact: true }).fill(c.progress);
  if (c.partOf) await page.getByLabel('Part of (optional)').selectOption({ label: c.partOf });
  await follow(page, page.getByRole('button', { name: 'Save commitment' }));
  await follow(page, page.getByRole('button', { name: 'Publish', exact: true }));
  await expect(page.getByText('Published.', { exact: true })).toBeVisible();
  return new URL(page.url()).pathname;
}

async function startRound(page: Page, r: { title: string; framework: string; year: string }): Promise<string> {
  await visit(page, '/admin/standards/new');
  await page.getByLabel('Title', { exact: true }).fill(r.title);
  await page.getByLabel('Framework', { exact: true }).selectOption({ label: `${r.framework} (2026)` });
  for (const [legend, day, month] of [
    ['Start of the period it looks back over', '1', '1'],
    ['End of the period', '31', '12'],
  ] as const) {
    const group = page.getByRole('group', { name: new RegExp(`^${legend}`) });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(r.year);
  }
  await follow(page, page.getByRole('button', { name: 'Save the round' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(r.title);
  return new URL(page.url()).pathname;
}

// Rates the round's one standard; returns the standard's page in the round.
async function rate(page: Page, round: string, rating: string, narrative: string): Promise<string> {
  await visit(page, round);
  await follow(page, page.getByRole('link', { name: 'Rate Listening, add evidence and actions' }));
  await page.getByLabel(rating, { exact: true }).check();
  await page.getByLabel('What we found', { exact: true }).fill(narrative);
  await follow(page, page.getByRole('button', { name: 'Save the rating' }));
  await expect(page.getByText('The rating is saved')).toBeVisible();
  return new URL(page.url()).pathname;
}

async function complete(page: Page, round: string) {
  await visit(page, round);
  await follow(page, page.getByRole('link', { name: 'Complete the round' }));
  await follow(page, page.getByRole('button', { name: 'Complete the round' }));
  await expect(page.getByText(/The round is completed/)).toBeVisible();
}
