import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { stories as storiesTable } from './tables.ts';
import { storyForm } from './testing.ts';

const { app, db } = await buildTestApp();
const { browser: staff } = await signedInBrowser(app);
const storyCount = () => db.$count(storiesTable);

// Someone signed in who is not staff: a contributor who has added a password.
async function signedInContributor() {
  const ctx = await app.auth.$context;
  const email = `contributor-${Math.random().toString(36).slice(2)}@example.org`;
  const password = 'a long contributor password';
  const user = await ctx.internalAdapter.createUser(
    { email, name: 'Casey Contributor', emailVerified: true, role: 'contributor' },
    { method: 'admin' },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: await ctx.password.hash(password),
  });
  const browser = new Browser(app);
  // Contributors sign in with a password on their own form; the staff form refuses them.
  const res = await browser.submit('/sign-in/password', '/sign-in/password', { email, password });
  expect(res.statusCode).toBe(303);
  return browser;
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const idFrom = (location: unknown) => Number(/saved=(\d+)/.exec(String(location))?.[1]);

describe('who can manage stories', () => {
  it('sends anonymous people to sign in', async () => {
    for (const url of ['/admin/stories', '/admin/stories/new', '/admin/stories/1/edit']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
    }
  });

  it('refuses people who are signed in but not staff', async () => {
    const contributor = await signedInContributor();
    expect((await contributor.get('/admin/stories')).statusCode).toBe(403);
    expect((await contributor.get('/admin/stories/new')).statusCode).toBe(403);
    const before = await storyCount();
    // Even with a valid CSRF token, taken from the sign-out form on a page they can see.
    const res = await contributor.submit('/', '/admin/stories/new', storyForm());
    expect(res.statusCode).toBe(403);
    expect(await storyCount()).toBe(before);
  });

  it('links staff to stories from the staff area', async () => {
    const res = await staff.get('/admin');
    expect(res.body).toContain('href="/admin/stories"');
    expect(res.body).toContain('Write, preview and publish stories');
  });
});

describe('writing a story', () => {
  it('offers a form with sensible defaults', async () => {
    const res = await staff.get('/admin/stories/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>New story</h1>');
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(res.body).toMatch(/id="authorName" name="authorName" type="text" value="Test staff"/);
    expect(res.body).toMatch(/id="authorJobTitle" name="authorJobTitle" type="text" value="Involvement lead"/);
    expect(res.body).toMatch(/name="publishedAt-year" type="text" value="\d{4}"/);
    expect(res.body).toMatch(/value="draft" checked/);
    expect(res.body).toMatch(/value="open" checked/);
    expect(res.body).toMatch(/<button[^>]*name="action"[^>]*value="save"[^>]*>\s*Save\s*<\/button>/);
    expect(res.body).toMatch(/<button[^>]*name="action"[^>]*value="preview"[^>]*>\s*Preview\s*<\/button>/);
  });

  it('refuses a form without a CSRF token, storing nothing', async () => {
    const before = await storyCount();
    const res = await staff.post('/admin/stories/new', storyForm());
    expect(res.statusCode).toBe(403);
    expect(await storyCount()).toBe(before);
  });

  it('explains mistakes with the error summary and inline errors, storing nothing', async () => {
    const before = await storyCount();
    const res = await staff.submit('/admin/stories/new', '/admin/stories/new', {
      ...storyForm({ title: '', summary: '', 'publishedAt-day': '31', 'publishedAt-month': '2', tags: 'Fine, ???' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: New story');
    expect(res.body).toContain('nhsuk-error-summary');
    for (const [href, message] of [
      ['#title', 'Enter a title'],
      ['#summary', 'Enter a summary'],
      ['#tags', 'Each tag must include a letter or number'],
      ['#publishedAt-day', 'Publish date must be a real date'],
    ]) {
      expect(res.body).toContain(`href="${href}"`);
      expect(res.body).toContain(message);
    }
    expect(res.body).toContain('id="title-error"');
    expect(res.body).toContain('id="publishedAt-error"');
    // What was typed stays in the form.
    expect(res.body).toContain('value="Fine, ???"');
    expect(await storyCount()).toBe(before);
  });

  it('refuses a slug another story already has, with a clear message', async () => {
    const first = await staff.submit('/admin/stories/new', '/admin/stories/new', storyForm({ slug: 'only-one-of-me' }));
    expect(first.statusCode).toBe(303);
    const before = await storyCount();
    const res = await staff.submit('/admin/stories/new', '/admin/stories/new', storyForm({ slug: 'only-one-of-me' }));
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('href="#slug"');
    expect(res.body).toContain('Another story already uses this slug. Enter a different one');
    expect(await storyCount()).toBe(before);
  });

  it('saves, then shows the story in the list and to readers', async () => {
    const form = storyForm({ title: 'A story we publish', tags: 'Coproduction, Mental health' });
    const res = await staff.submit('/admin/stories/new', '/admin/stories/new', form);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/stories\?saved=\d+$/);
    const list = await staff.get(res.headers.location!);
    expect(list.body).toContain('Story saved: A story we publish');
    expect(list.body).toContain('href="/stories/a-story-we-publish"');
    expect(list.body).toContain('Published');
    const page = await app.inject('/stories/a-story-we-publish');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>Markdown</strong>');
    expect(page.body).toContain('<a href="/stories/tags/mental-health">Mental health</a>');
  });

  it('marks drafts and scheduled stories in the list', async () => {
    await staff.submit('/admin/stories/new', '/admin/stories/new', storyForm({ title: 'Listed draft', status: 'draft' }));
    await staff.submit('/admin/stories/new', '/admin/stories/new', storyForm({ title: 'Listed later', 'publishedAt-year': '2099' }));
    const list = await staff.get('/admin/stories');
    const row = (title: string) => list.body.slice(list.body.indexOf(title), list.body.indexOf('</tr>', list.body.indexOf(title)));
    expect(row('Listed draft')).toMatch(/nhsuk-tag--grey">\s*Draft/);
    expect(row('Listed later')).toMatch(/nhsuk-tag--blue">\s*Scheduled/);
    expect(row('A story we publish')).toMatch(/nhsuk-tag--green">\s*Published/);
  });

  it('previews without saving, and the preview is sanitised', async () => {
    const before = await storyCount();
    const res = await staff.submit('/admin/stories/new', '/admin/stories/new', {
      ...storyForm({ title: 'Preview only', body: '## Section\n\n<script>alert(1)</script> [bad](javascript:alert(1))' }),
      action: 'preview',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 id="preview-heading"');
    expect(res.body).toContain('It has not been saved.');
    expect(res.body).toContain('<h2>Section</h2>');
    expect(res.body).toContain('>Preview only</h2>');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toMatch(/href="javascript:/i);
    expect(count(res.body, '<h1')).toBe(1);
    // The form still holds what was typed, ready to save.
    expect(res.body).toContain('value="Preview only"');
    expect(await storyCount()).toBe(before);
    expect((await app.inject('/stories/preview-only')).statusCode).toBe(404);
  });

  it('never lets script through to readers', async () => {
    const res = await staff.submit(
      '/admin/stories/new',
      '/admin/stories/new',
      storyForm({
        title: '<script>alert("title")</script>',
        slug: 'xss-attempt',
        summary: '"><script>alert(2)</script>',
        body: '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<a href="https://x" onmouseover="alert(1)">x</a>',
      }),
    );
    expect(res.statusCode).toBe(303);
    const page = await app.inject('/stories/xss-attempt');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<script>alert/);
    expect(page.body).not.toMatch(/<img[^>]*onerror/i);
    expect(page.body).not.toMatch(/<a[^>]*onmouseover/i);
    expect(page.body).not.toMatch(/href="javascript:/i);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
  });
});

describe('editing a story', () => {
  it('shows the saved values, saves changes and readers see them at once', async () => {
    const created = await staff.submit(
      '/admin/stories/new',
      '/admin/stories/new',
      storyForm({ title: 'Before the edit', tags: 'One, Two' }),
    );
    const id = idFrom(created.headers.location);
    const slug = 'before-the-edit';
    expect((await app.inject(`/stories/${slug}`)).body).toContain('Before the edit');

    const edit = await staff.get(`/admin/stories/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('<h1>Edit story</h1>');
    expect(edit.body).toContain('value="Before the edit"');
    expect(edit.body).toContain(`value="${slug}"`);
    expect(edit.body).toContain('value="One, Two"');
    expect(edit.body).toMatch(/value="published" checked/);

    const saved = await staff.submit(`/admin/stories/${id}/edit`, `/admin/stories/${id}/edit`, {
      ...storyForm({ title: 'After the edit', slug, tags: 'Two', comments: 'closed' }),
    });
    expect(saved.statusCode).toBe(303);
    const page = await app.inject(`/stories/${slug}`);
    expect(page.body).toContain('After the edit');
    expect(page.body).not.toContain('/stories/tags/one"');
    const again = await staff.get(`/admin/stories/${id}/edit`);
    expect(again.body).toMatch(/value="closed" checked/);
  });

  it('re-shows the edit form with errors, changing nothing', async () => {
    const created = await staff.submit('/admin/stories/new', '/admin/stories/new', storyForm({ title: 'Stays the same' }));
    const id = idFrom(created.headers.location);
    const res = await staff.submit(`/admin/stories/${id}/edit`, `/admin/stories/${id}/edit`, storyForm({ title: '', status: 'nonsense' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Choose whether the story is a draft or published');
    expect(res.body).toContain(`action="/admin/stories/${id}/edit"`);
    expect((await app.inject('/stories/stays-the-same')).body).toContain('Stays the same');
  });

  it.each([
    '/admin/stories/abc/edit',
    '/admin/stories/0/edit',
    '/admin/stories/99999999/edit',
    '/admin/stories/99999999999/edit',
    '/admin/stories?page=0',
  ])('%s is not found', async (url) => {
    expect((await staff.get(url)).statusCode).toBe(404);
  });
});
