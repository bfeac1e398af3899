import type { Page } from '@playwright/test';
import { expect, test } from './helpers.ts';
import { linkIn, Outbox, signedInPage } from './outbox.ts';
import { follow, useStaffSession, visit } from './pages.ts';
import { e2eReviews } from './reviews.ts';

// A document review from start to finish: staff commission a review of a Markdown leaflet from
// three contributors; two accept and one declines by the emailed link, signed out; Ada comments on
// the sections by keyboard, saves, comes back and sends it; staff read the comments, answer each and
// send the answers; Ada reads them, and her review is involvement she can claim for; Dot, never
// invited, cannot read the document at any address.
test('staff commission a review; reviewers accept, comment and send; staff answer; the reviewer reads what changed', async ({
  page,
  newPage,
}, info) => {
  const r = e2eReviews(info.project.name);
  const outbox = new Outbox(page);

  // The review, as a draft.
  await useStaffSession(page, 'involvement', '/admin/reviews');
  await follow(page, page.getByRole('link', { name: 'Commission a review' }));
  await page.getByLabel('Title', { exact: true }).fill(r.title);
  await page.getByLabel('Leaflet', { exact: true }).check();
  await page.getByLabel('What we want from reviewers').fill('Is it clear what to do on the first night home?');
  await page.getByLabel('Written or pasted in (Markdown)').check();
  await page
    .getByLabel('The document in Markdown')
    .fill('# Before you leave\nAsk for a copy of your discharge letter.\n\n# Your first night\nCall the ward if the pain gets worse.');
  const [year, month, day] = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10).split('-');
  const deadline = page.getByRole('group', { name: /^Deadline/ });
  await deadline.getByLabel('Day').fill(day!);
  await deadline.getByLabel('Month').fill(month!);
  await deadline.getByLabel('Year').fill(year!);
  await page.getByLabel('Time on that day').fill('17:00');
  await page.getByLabel('How long we think it takes, in hours').fill('1.5');
  await follow(page, page.getByRole('button', { name: 'Save as a draft' }));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(r.title);
  const staffReview = new URL(page.url()).pathname;
  const reviewId = staffReview.split('/').pop()!;

  // Three reviewers from the register, then the invitations.
  await page.getByLabel('Find people by name or email address').fill(`Reviewer ${info.project.name}`);
  await follow(page, page.getByRole('button', { name: 'Find', exact: true }));
  for (const p of [r.ada, r.bea, r.cy]) await page.getByLabel(p.name, { exact: false }).check();
  await follow(page, page.getByRole('button', { name: 'Invite the people ticked' }).first());
  await expect(page.getByText('3 people were invited.')).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Open the review and send invitations' }));
  await expect(page.getByText('The review is open: 3 invitations were emailed.')).toBeVisible();

  // Ada and Bea accept and Cy declines, each by the emailed link without signing in.
  const stranger = await newPage();
  for (const [p, answer] of [
    [r.ada, 'accept'],
    [r.bea, 'accept'],
    [r.cy, 'decline'],
  ] as const) {
    const invitation = await outbox.open(p.email, `Will you review ${r.title}?`);
    await visit(stranger, linkIn(invitation, '/reviews/invitation/').replace(/\/(accept|decline)$/, `/${answer}`));
    if (answer === 'decline') await stranger.getByLabel('Why can you not do it? (optional)').fill('I am away that fortnight.');
    await follow(
      stranger,
      stranger.getByRole('button', { name: answer === 'accept' ? 'Accept the invitation' : 'Decline the invitation' }),
    );
  }
  await visit(page, staffReview);
  await expect(page.getByRole('main')).toContainText('I am away that fortnight.');

  // Ada comments on the first section by keyboard, goes back to the contents, and comes back later.
  const ada = await signedInPage(newPage, outbox, r.ada.email);
  await visit(ada, '/profile/reviews');
  await follow(ada, ada.getByRole('link', { name: r.title }));
  await follow(ada, ada.getByRole('link', { name: 'Start' }).or(ada.getByRole('button', { name: 'Start' })));
  await ada.getByLabel('Your comment on “Before you leave” (optional)').focus();
  await ada.keyboard.type('Say who gives you the letter: the nurse or the doctor?');
  await ada.keyboard.press('Tab');
  await expect(ada.getByRole('button', { name: 'Save and continue' })).toBeFocused();
  await Promise.all([ada.waitForNavigation(), ada.keyboard.press('Enter')]);
  await ada.getByLabel('Your comment on “Your first night” (optional)').fill('Give the ward’s number here, not only its name.');
  await follow(ada, ada.getByRole('button', { name: 'Save and go back to the contents' }));
  await visit(ada, `/profile/reviews/${reviewId}/sections/${await sectionId(ada, reviewId, 'Your first night')}`);
  await expect(ada.getByLabel('Your comment on “Your first night” (optional)')).toHaveValue(
    'Give the ward’s number here, not only its name.',
  );
  await visit(ada, `/profile/reviews/${reviewId}/check`);
  await follow(ada, ada.getByRole('button', { name: 'Send my review' }));
  await expect(ada.getByRole('heading', { level: 1 })).toHaveText('Review sent');
  await outbox.open(r.ada.email, `We have your review of ${r.title}`);

  // Dot was never invited: the review, its sections and its questions are not found.
  const dot = await signedInPage(newPage, outbox, r.dot.email);
  for (const path of [`/profile/reviews/${reviewId}`, `/profile/reviews/${reviewId}/questions`, `/profile/reviews/${reviewId}/check`])
    expect((await dot.request.get(path)).status()).toBe(404);
  expect(
    (await dot.request.get(`/profile/reviews/${reviewId}/sections/${await sectionId(ada, reviewId, 'Before you leave')}`)).status(),
  ).toBe(404);
  expect((await dot.request.get(staffReview)).status()).toBe(403);

  // Staff read the comments and answer each, then send the answers.
  await visit(page, `${staffReview}/collate`);
  await expect(page.getByRole('main')).toContainText('Say who gives you the letter: the nurse or the doctor?');
  for (const [comment, outcome, why] of [
    ['Say who gives you the letter', 'Changed as suggested', 'The leaflet now says the nurse gives you the letter.'],
    ['Give the ward’s number here', 'Changed, but in a different way', 'The number is on the front page, where people look first.'],
  ] as const) {
    const one = page.locator('.nhsuk-card').filter({ hasText: comment });
    await one.getByLabel(outcome, { exact: true }).check();
    await one.getByLabel('Why').fill(why);
    await follow(page, one.getByRole('button', { name: /Save the response/ }));
    await expect(page.getByText('Response saved.')).toBeVisible();
  }
  await follow(page, page.getByRole('button', { name: 'Send the responses to reviewers' }));
  await outbox.open(r.ada.email, `Your comments on ${r.title} have been answered`);

  // Ada reads what was done, and finds the review among what she has done, ready to claim.
  await visit(ada, `/profile/reviews/${reviewId}/response`);
  await expect(ada.getByRole('main')).toContainText('The leaflet now says the nurse gives you the letter.');
  await visit(ada, '/profile/involvement');
  await expect(ada.getByRole('link', { name: `Claim for ${r.title}` })).toBeVisible();

  // Staff publish the summary, then record it in "you said, we did" in one action: the form comes
  // filled in from the review, staff link the commitment it advanced, save and publish it, and the
  // public log shows it with that commitment.
  await visit(page, `${staffReview}/collate`);
  await page
    .getByLabel('What changed because of the review')
    .fill('The leaflet now says who gives you the letter, and the ward’s number is on the front.');
  await follow(page, page.getByRole('button', { name: 'Publish the summary' }));
  await follow(
    page,
    page.getByRole('link', { name: 'Record in you said, we did' }).or(page.getByRole('button', { name: 'Record in you said, we did' })),
  );
  await expect(page.getByText('We filled this in from what was published. Check every field, then save.')).toBeVisible();
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(new RegExp(r.title.replace(/[()]/g, '.')));
  await expect(page.getByRole('radio', { name: /document review/ })).toBeChecked();
  await page.getByLabel('We did', { exact: true }).fill('We changed the leaflet before it went to print.');
  await page.getByLabel('Commitment it helped us keep (optional)').selectOption({ label: 'Publish our involvement strategy' });
  await follow(page, page.getByRole('button', { name: 'Save entry' }));
  await expect(page.getByText('Entry saved as a draft. Publish it when it is ready.')).toBeVisible();
  await follow(page, page.getByRole('button', { name: 'Publish', exact: true }));
  await expect(page.getByText('Entry published.')).toBeVisible();
  await visit(page, `${staffReview}/collate`);
  await expect(
    page
      .getByRole('link', { name: 'See the you said, we did entry' })
      .or(page.getByRole('button', { name: 'See the you said, we did entry' })),
  ).toBeVisible();
  await visit(stranger, '/you-said-we-did');
  await follow(stranger, stranger.getByRole('link', { name: r.title }).first());
  await expect(stranger.getByRole('main')).toContainText('We changed the leaflet before it went to print.');
  await expect(stranger.getByRole('link', { name: 'Publish our involvement strategy' })).toBeVisible();
});

// A section's id, from the contents of the review as a reviewer sees it.
async function sectionId(reviewer: Page, reviewId: string, heading: string): Promise<string> {
  const html = await (await reviewer.request.get(`/profile/reviews/${reviewId}`)).text();
  const found = new RegExp(`href="/profile/reviews/${reviewId}/sections/(\\d+)"[^>]*>\\s*${heading}`).exec(html);
  if (!found) throw new Error(`no section "${heading}" on the contents`);
  return found[1]!;
}
