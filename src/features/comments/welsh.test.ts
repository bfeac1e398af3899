import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';
import { commentTestKit } from './test-support.ts';

// Commenting in Welsh: the form, its errors and the pages after it are in Welsh; the comment keeps
// the language it was written in, is marked with it on pages in another language, and the emails
// about it are written in it.
const sink = await startSmtpSink();
const { app, db, services } = await buildTestApp({ trustProxy: true, smtpUrl: sink.url });
const { send, setModeration, addComment } = commentTestKit(app, services, db, '10.7');

const welshBrowser = async () => {
  const browser = new Browser(app);
  await browser.get('/?lang=cy');
  return browser;
};
const welshStory = () =>
  createStory(db, {
    title: 'A story in two languages',
    translations: { cy: { title: 'Stori mewn dwy iaith', summary: 'Crynodeb.', bodyMarkdown: 'Testun.', bodyHtml: '<p>Testun.</p>' } },
  });

describe('commenting in Welsh', () => {
  it('explains mistakes in Welsh', async () => {
    const story = await welshStory();
    const res = await send(story, { name: '', email: 'not-an-email', comment: '' }, { browser: await welshBrowser() });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="cy">');
    expect(res.body).toContain('Mae problem');
    expect(res.body).toContain('Rhowch eich enw');
    expect(res.body).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com');
    expect(res.body).toContain('Rhowch eich sylw');
    expect(res.body).toContain('<title>Gwall: Gadael sylw – Stori mewn dwy iaith');
    expect(res.body).not.toContain('⟦');
  });

  it('says in Welsh that too many links are too many', async () => {
    const story = await welshStory();
    const links = 'https://a.example https://b.example https://c.example https://d.example';
    const res = await send(story, { comment: links }, { browser: await welshBrowser() });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Gallwch chi gynnwys hyd at 3 dolen we mewn sylw');
  });

  it('stores the language of the page, thanks in Welsh, and marks the comment on an English page', async () => {
    await setModeration('all');
    const story = await welshStory();
    const browser = await welshBrowser();
    const res = await send(story, { comment: 'Diolch am rannu hyn.' }, { browser });
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(comments).where(eq(comments.body, 'Diolch am rannu hyn.'));
    expect(row!.language).toBe('cy');

    const thanks = await browser.get(res.headers.location as string);
    expect(thanks.body).toContain('Diolch am eich sylw');
    expect(thanks.body).toContain('Bydd yn ymddangos ar y stori ar ôl iddo gael ei gymeradwyo.');
    expect(thanks.body).toContain('Mynd yn ôl at Stori mewn dwy iaith');

    await db.update(comments).set({ status: 'approved' }).where(eq(comments.id, row!.id));
    const english = await app.inject(`/stories/${story.slug}?lang=en`);
    expect(english.body).toMatch(/<div class="app-comment__body" lang="cy"><p>Diolch am rannu hyn\.<\/p>/);
    const welsh = await browser.get(`/stories/${story.slug}`);
    expect(welsh.body).toMatch(/<div class="app-comment__body"><p>Diolch am rannu hyn\.<\/p>/);
  });

  it('stores English for a comment from an English page', async () => {
    const story = await welshStory();
    const res = await send(story, { comment: 'Thanks for sharing.' });
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(comments).where(eq(comments.body, 'Thanks for sharing.'));
    expect(row!.language).toBe('en');
  });

  it('tells a Welsh commenter in Welsh that their comment is published, and about replies', async () => {
    await setModeration('all');
    const story = await welshStory();
    const res = await send(
      story,
      { comment: 'Sylw i’w gymeradwyo.', email: 'cymraeg@example.net', notifyReplies: 'yes' },
      { browser: await welshBrowser() },
    );
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(comments).where(eq(comments.body, 'Sylw i’w gymeradwyo.'));

    const { browser: staff } = await signedInBrowser(app);
    expect((await staff.submit('/admin/comments', `/admin/comments/${row!.id}/approve`, {})).statusCode).toBe(303);
    const published = await sink.parse(await waitFor(() => sink.to('cymraeg@example.net')[0]));
    expect(published.subject).toBe("Mae eich sylw ar “Stori mewn dwy iaith” wedi'i gyhoeddi");
    expect(published.text).toContain('Annwyl Jo Bloggs,');
    expect(published.text).toContain('Darllen eich sylw');
    expect(published.html).toContain('lang="cy"');

    // An English reader replies; the Welsh commenter hears about it in Welsh.
    await addComment(story.id, {
      parentId: row!.id,
      authorName: 'Sam Reader',
      authorEmail: 'sam@example.net',
      status: 'pending',
      body: 'A reply.',
    });
    const [reply] = await db.select().from(comments).where(eq(comments.body, 'A reply.'));
    expect((await staff.submit('/admin/comments', `/admin/comments/${reply!.id}/approve`, {})).statusCode).toBe(303);
    const told = await sink.parse(await waitFor(() => sink.to('cymraeg@example.net')[1]));
    expect(told.subject).toBe('Mae Sam Reader wedi ateb eich sylw');
    expect(told.text).toContain('Mae Sam Reader wedi ateb eich sylw ar “Stori mewn dwy iaith”:');
  });

  it('keeps a staff reply in the language of the comment it answers unless staff choose another', async () => {
    const story = await welshStory();
    const parent = await addComment(story.id, { language: 'cy', body: 'Cwestiwn yn Gymraeg.' });
    const { browser: staff } = await signedInBrowser(app);
    const form = await staff.get(`/admin/comments/${parent.id}/reply`);
    expect(form.body).toMatch(/value="cy" checked/);
    const res = await staff.submit(`/admin/comments/${parent.id}/reply`, `/admin/comments/${parent.id}/reply`, {
      reply: 'Ateb gan staff.',
    });
    expect(res.statusCode).toBe(303);
    const [reply] = await db.select().from(comments).where(eq(comments.body, 'Ateb gan staff.'));
    expect(reply!.language).toBe('cy');
  });

  it('offers the report form in Welsh, with Welsh errors and thanks', async () => {
    const story = await welshStory();
    const comment = await addComment(story.id);
    const browser = await welshBrowser();
    const form = await browser.get(`/comments/${comment.id}/report`);
    expect(form.body).toContain('Pam rydych chi&#39;n rhoi gwybod am y sylw hwn?');
    expect(form.body).toContain('Sarhaus neu dramgwyddus');
    const invalid = await browser.submit(
      `/comments/${comment.id}/report`,
      `/comments/${comment.id}/report`,
      {},
      { 'x-forwarded-for': '10.7.9.1' },
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Dewiswch pam rydych chi&#39;n rhoi gwybod am y sylw hwn');
    const sent = await browser.submit(
      `/comments/${comment.id}/report`,
      `/comments/${comment.id}/report`,
      { reason: 'spam' },
      { 'x-forwarded-for': '10.7.9.1' },
    );
    expect(sent.statusCode).toBe(303);
    const thanks = await browser.get(sent.headers.location as string);
    expect(thanks.body).toContain('Diolch am roi gwybod i ni');
  });

  it('says in Welsh when comments are closed', async () => {
    const story = await createStory(db, { commentsOpen: false });
    const page = await app.inject(`/stories/${story.slug}?lang=cy`);
    expect(page.body).toContain('Mae&#39;r sylwadau ar gau ar gyfer y stori hon.');
  });
});
