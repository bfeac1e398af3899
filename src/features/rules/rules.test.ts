import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { commentTestKit } from '#src/features/comments/test-support.ts';

// The community rules at /rules: our default text until an admin writes the organisation's own,
// in English and Welsh, Markdown rendered as safely as a story's; linked from comment pages.
const { app, db, services } = await buildTestApp();
const { addComment } = commentTestKit(app, services, db, '10.9');
const rulesOf = (html: string) => /<div class="app-rules"[^>]*>([\s\S]*?)<\/div>\s*<\/div><\/div>/.exec(html)?.[1] ?? '';

describe('the community rules', () => {
  it('starts with our own text, in English and in Welsh, linked from the footer', async () => {
    const page = await app.inject('/rules');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Community rules</h1>');
    for (const heading of ['Be respectful', 'What we remove', 'How moderation works', 'How to report a comment'])
      expect(rulesOf(page.body)).toContain(`<h2>${heading}</h2>`);
    expect(page.body).toContain('<a class="nhsuk-footer__list-item-link" href="/rules">Community rules</a>');

    const welsh = await app.inject('/rules?lang=cy');
    expect(welsh.body).toContain('<html lang="cy">');
    expect(welsh.body).toContain('<h1>Rheolau&#39;r gymuned</h1>');
    expect(rulesOf(welsh.body)).toContain('<h2>Byddwch yn barchus</h2>');
    expect(welsh.body).not.toContain('Be respectful');
  });

  it('lets an admin change them; /rules shows the change, and English marked as such where there is no Welsh', async () => {
    const { browser, staff } = await signedInBrowser(app, 'admin');
    const form = await browser.get('/admin/rules');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Be respectful');
    const saved = await browser.submit('/admin/rules', '/admin/rules', { markdown: '## Be kind\n\nNo shouting.', markdown_cy: '' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/rules?saved=1');
    expect((await browser.get(saved.headers.location!)).body).toContain('The community rules have been saved');
    const changes = await db.select().from(auditEvents).where(eq(auditEvents.action, 'rules.changed'));
    expect(changes.map((e) => e.actorUserId)).toEqual([staff.id]);

    const page = await app.inject('/rules');
    expect(rulesOf(page.body)).toBe('<h2>Be kind</h2>\n<p>No shouting.</p>');
    const welsh = await app.inject('/rules?lang=cy');
    expect(welsh.body).toContain('<div class="app-rules" lang="en">');
    expect(welsh.body).toContain('Mae hwn ar gael yn Saesneg yn unig.');

    await browser.submit('/admin/rules', '/admin/rules', { markdown: '## Be kind', markdown_cy: '## Byddwch yn garedig' });
    expect(rulesOf((await app.inject('/rules?lang=cy')).body)).toBe('<h2>Byddwch yn garedig</h2>');
  });

  it('shows raw HTML as text and drops dangerous links, as in stories', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    await browser.submit('/admin/rules', '/admin/rules', {
      markdown: '<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    const rules = rulesOf((await app.inject('/rules')).body);
    expect(rules).not.toMatch(/<script|<img|href="javascript/i);
    expect(rules).toContain('&lt;script&gt;');
  });

  it('refuses empty or overlong rules with one message per field, changing nothing', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    await browser.submit('/admin/rules', '/admin/rules', { markdown: 'Kept.' });
    for (const [form, field, message] of [
      [{ markdown: '' }, 'markdown', 'Enter the community rules'],
      [{ markdown: 'x'.repeat(20_001) }, 'markdown', 'The rules must be 20,000 characters or fewer'],
      [{ markdown: 'Fine', markdown_cy: 'x'.repeat(20_001) }, 'markdown_cy', 'The Welsh rules must be 20,000 characters or fewer'],
    ] as const) {
      const res = await browser.submit('/admin/rules', '/admin/rules', form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(`href="#${field}"`);
      expect(res.body).toContain(message);
    }
    expect(rulesOf((await app.inject('/rules')).body)).toBe('<p>Kept.</p>');
  });

  it('is for admins only to edit', async () => {
    expect((await new Browser(app).get('/admin/rules')).statusCode).toBe(302);
    for (const role of ['staff', 'involvement'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/admin/rules')).statusCode).toBe(403);
      expect((await browser.submit('/admin', '/admin/rules', { markdown: 'Hijacked' })).statusCode).toBe(403);
    }
    expect(rulesOf((await app.inject('/rules')).body)).not.toContain('Hijacked');
  });
});

describe('comment pages link to the rules', () => {
  it('from the comment form, the report page and the thank-you page, in English and Welsh', async () => {
    const story = await createStory(db);
    const comment = await addComment(story.id);
    const storyPage = await app.inject(`/stories/${story.slug}`);
    expect(storyPage.body).toContain('Before you comment, read our <a href="/rules">community rules</a>.');
    const report = await app.inject(`/comments/${comment.id}/report`);
    expect(report.body).toContain('breaks our <a href="/rules">community rules</a>');
    const thanks = await app.inject(`/comments/${comment.id}/report/thanks`);
    expect(thanks.body).toContain('If it breaks our <a href="/rules">community rules</a>');
    const welsh = await app.inject(`/comments/${comment.id}/report?lang=cy`);
    expect(welsh.body).toContain(`<a href="/rules">rheolau'r gymuned</a>`);
  });
});
