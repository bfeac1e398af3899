import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { createStory, storyComments } from '#tests/helpers/factories.ts';
import { comments } from '#src/features/comments/tables.ts';
import { devOutbox } from '#src/platform/mail/tables.ts';
import { ERASED_OUTBOX_ADDRESS } from '#src/platform/mail/service.ts';

// No SMTP_URL: mail goes to the development outbox, which must forget a deleted account too.
const { app, db, services } = await buildTestApp();
const oldStamp = () => services.comments.issueFormStamp(Date.now() - 10_000);

// Joins through /join and follows the link found in the development outbox.
async function joinViaOutbox(name: string) {
  const email = `fc-${Math.random().toString(36).slice(2)}@example.net`;
  const browser = new Browser(app);
  expect((await browser.submit('/join', '/join', { name, email, consent: 'yes' })).statusCode).toBe(303);
  const found = async () => (await db.select().from(devOutbox).where(eq(devOutbox.toAddress, email)))[0];
  let message = await found();
  for (let i = 0; !message && i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    message = await found();
  }
  const token = /sign-in\/continue\?token=([A-Za-z0-9_-]+)/.exec(message!.textBody)![1]!;
  expect((await browser.submit(`/sign-in/continue?token=${token}`, '/sign-in/continue', {})).statusCode).toBe(303);
  const id = (await app.services.identity.findAccountByEmail(email))!.id;
  return { browser, email, id };
}

describe('comments made while signed in, and what happens to them when the account is deleted', () => {
  it('links the comment to the account and uses its email address, whatever the form says', async () => {
    await services.settings.update({ ...(await services.settings.get()), moderation: 'none' });
    const story = await createStory(db);
    const me = await joinViaOutbox('Sam Signed');
    const form = await me.browser.get(`/stories/${story.slug}/comments/new`);
    expect(form.body).toContain('You are signed in as Sam Signed');
    expect(form.body).not.toContain('name="email"');
    const res = await me.browser.submit(`/stories/${story.slug}/comments/new`, `/stories/${story.slug}/comments`, {
      stamp: oldStamp(),
      name: 'Sam Signed',
      email: 'someone-else@example.org',
      comment: 'I took part in the first workshop.',
    });
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(comments).where(storyComments(story.id));
    expect(row).toMatchObject({ contributorUserId: me.id, authorEmail: me.email, authorName: 'Sam Signed' });

    const data = JSON.parse((await me.browser.get('/profile/data.json')).body);
    expect(data.comments).toEqual([
      expect.objectContaining({ comment: 'I took part in the first workshop.', status: 'approved', publishedName: 'Sam Signed' }),
    ]);
    expect((await me.browser.get('/profile/data')).body).toContain('I took part in the first workshop.');
  });

  it('keeps the comments as "Former contributor" with nothing that identifies the person, and clears the outbox', async () => {
    await services.settings.update({ ...(await services.settings.get()), moderation: 'none' });
    const story = await createStory(db);
    const me = await joinViaOutbox('Del Commenter');
    await me.browser.submit(`/stories/${story.slug}/comments/new`, `/stories/${story.slug}/comments`, {
      stamp: oldStamp(),
      name: 'Del Commenter',
      jobTitle: 'Carer',
      organisation: 'Riverside Carers',
      comment: 'My words stay; my name goes.',
    });
    // Someone commenting without an account is not touched.
    const anonymous = await new Browser(app).submit(`/stories/${story.slug}/comments/new`, `/stories/${story.slug}/comments`, {
      stamp: oldStamp(),
      name: 'Anna Nonymous',
      email: 'anna@example.org',
      comment: 'No account here.',
    });
    expect(anonymous.statusCode).toBe(303);
    // The anonymous page is cached now; deletion must refresh it.
    const before = await new Browser(app).get(`/stories/${story.slug}`);
    expect(before.body).toContain('Del Commenter');

    expect((await me.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' })).statusCode).toBe(303);

    const rows = await db.select().from(comments).where(storyComments(story.id));
    const mine = rows.find((r) => r.body === 'My words stay; my name goes.')!;
    expect(mine).toMatchObject({
      authorName: 'Former contributor',
      authorJobTitle: null,
      authorOrganisation: null,
      authorEmail: '',
      ipAddress: null,
      contributorUserId: null,
      status: 'approved',
    });
    expect(rows.find((r) => r.body === 'No account here.')).toMatchObject({ authorName: 'Anna Nonymous', authorEmail: 'anna@example.org' });

    const after = await new Browser(app).get(`/stories/${story.slug}`);
    expect(after.body).toContain('Former contributor');
    expect(after.body).toContain('My words stay; my name goes.');
    expect(after.body).not.toContain('Del Commenter');
    expect(after.body).not.toContain('Riverside Carers');

    // The outbox keeps the deletion email readable, but not who it went to; earlier emails go.
    let erased: (typeof devOutbox.$inferSelect)[] = [];
    for (let i = 0; !erased.length && i < 100; i++) {
      erased = await db.select().from(devOutbox).where(eq(devOutbox.toAddress, ERASED_OUTBOX_ADDRESS));
      if (!erased.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(erased.map((m) => m.subject)).toEqual([expect.stringContaining('account has been deleted')]);
    expect(await db.select().from(devOutbox).where(eq(devOutbox.toAddress, me.email))).toHaveLength(0);
  });
});
