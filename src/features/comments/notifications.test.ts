import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';

// Emails about comments, read from a real SMTP server.
describe('comment emails', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const story = await createStory(db, { slug: 'emails-story', title: 'A story about emails' });
  // No waiting to fill in the form, and room for many comments from the one test address.
  Object.assign(services.comments.policy, { minFillMs: 0, perIp: { max: 1000, windowMs: 60_000 } });

  async function comment(fields: Record<string, string>) {
    const browser = new Browser(app);
    const res = await browser.submit(`/stories/${story.slug}`, `/stories/${story.slug}/comments`, {
      name: 'Sam Reader',
      email: 'sam@example.net',
      comment: 'A first comment.',
      ...fields,
    });
    expect(res.statusCode).toBe(303);
    const [row] = await db
      .select()
      .from(comments)
      .where(eq(comments.body, fields.comment ?? 'A first comment.'));
    return row!;
  }

  it('tells the moderation address about a waiting comment, and the commenter when it is approved', async () => {
    const { browser: admin } = await signedInBrowser(app, 'admin');
    const saved = await admin.submit('/admin/settings', '/admin/settings', {
      name: 'Test Org',
      welcome: 'Hello',
      moderation: 'all',
      moderationEmail: 'Moderators@Example.org',
    });
    expect(saved.statusCode).toBe(303);

    const pending = await comment({ comment: 'Please publish me.', email: 'first@example.net', name: 'First Person' });
    const alert = await waitFor(() => sink.to('moderators@example.org')[0]);
    const alertMail = await sink.parse(alert);
    expect(alertMail.subject).toBe('A comment is waiting for approval: “A story about emails”');
    expect(alertMail.text).toContain('Please publish me.');
    expect(alertMail.text).toContain('/admin/comments');
    expect(sink.to('first@example.net')).toHaveLength(0);

    const { browser: staff } = await signedInBrowser(app);
    const approved = await staff.submit('/admin/comments', `/admin/comments/${pending.id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const published = await sink.parse(await waitFor(() => sink.to('first@example.net')[0]));
    expect(published.subject).toBe('Your comment on “A story about emails” is published');
    expect(published.text).toContain(`http://localhost:3000/stories/emails-story#comment-${pending.id}`);
    expect(published.text).toContain('Please publish me.');

    // Approving again (a double click, a second member of staff) sends nothing more.
    await staff.submit('/admin/comments?status=approved', `/admin/comments/${pending.id}/approve`, {});
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.to('first@example.net')).toHaveLength(1);
  });

  it('tells a commenter about a reply only if they asked, and never about their own replies', async () => {
    await services.settings.update({ ...(await services.settings.get()), moderation: 'none', moderationEmail: '' });
    const asked = await comment({ comment: 'Tell me about replies.', email: 'asked@example.net', name: 'Asked', notifyReplies: 'yes' });
    const quiet = await comment({ comment: 'Do not tell me.', email: 'quiet@example.net', name: 'Quiet' });
    await comment({ comment: 'A reply to the asker.', email: 'replier@example.net', name: 'Replier', parentId: String(asked.id) });
    await comment({ comment: 'A reply to the quiet one.', email: 'replier@example.net', name: 'Replier', parentId: String(quiet.id) });
    await comment({ comment: 'Replying to myself.', email: 'asked@example.net', name: 'Asked', parentId: String(asked.id) });

    const note = await sink.parse(await waitFor(() => sink.to('asked@example.net')[0]));
    expect(note.subject).toBe('Replier replied to your comment');
    expect(note.text).toContain('A reply to the asker.');
    expect(note.html).not.toContain('replier@example.net');
    await new Promise((r) => setTimeout(r, 800));
    expect(sink.to('asked@example.net')).toHaveLength(1);
    expect(sink.to('quiet@example.net')).toHaveLength(0);
    // Published at once (moderation: none), so nobody is told "your comment is published".
    expect(sink.to('replier@example.net')).toHaveLength(0);
  });

  it('tells the commenter when staff reply from the queue', async () => {
    const asked = await comment({
      comment: 'Staff, please answer.',
      email: 'answer-me@example.net',
      name: 'Curious',
      notifyReplies: 'yes',
    });
    const { browser: staff } = await signedInBrowser(app);
    const res = await staff.submit(`/admin/comments/${asked.id}/reply`, `/admin/comments/${asked.id}/reply`, {
      reply: 'Here is our answer.',
    });
    expect(res.statusCode).toBe(303);
    const note = await sink.parse(await waitFor(() => sink.to('answer-me@example.net')[0]));
    expect(note.text).toContain('Test staff');
    expect(note.text).toContain('staff) replied to your comment');
    expect(note.text).toContain('Here is our answer.');
  });

  it('stores nothing and sends nothing for a refused comment', async () => {
    const before = (await db.select().from(mailMessages)).length;
    const res = await new Browser(app).submit(`/stories/${story.slug}`, `/stories/${story.slug}/comments`, {
      name: '',
      email: 'bad',
      comment: '',
    });
    expect(res.statusCode).toBe(400);
    expect((await db.select().from(mailMessages)).length).toBe(before);
  });
});
