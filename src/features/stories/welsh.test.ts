import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { stories } from './tables.ts';
import { storyForm } from './testing.ts';

// Stories in Welsh: a story with a Welsh version shows it on Welsh pages; one without shows the
// English marked lang="en" with a note in Welsh (docs/architecture.md, "Languages").
const { app, db } = await buildTestApp();

const ENGLISH_ONLY_NOTE = 'Mae hwn ar gael yn Saesneg yn unig.';
const welshVersion = {
  cy: {
    title: 'Gweithio gyda phobl',
    summary: 'Crynodeb yn Gymraeg.',
    bodyMarkdown: 'Geiriau **Cymraeg**.',
    bodyHtml: '<p>Geiriau <strong>Cymraeg</strong>.</p>',
  },
};

describe('a story page in Welsh', () => {
  it('shows the Welsh version when there is one, in a Welsh page', async () => {
    const story = await createStory(db, { title: 'Working with people', translations: welshVersion });
    const page = await app.inject(`/stories/${story.slug}?lang=cy`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain('<title>Gweithio gyda phobl – ');
    expect(page.body).toContain('Geiriau <strong>Cymraeg</strong>.');
    expect(page.body).toContain('<meta property="og:locale" content="cy_GB">');
    expect(page.body).not.toContain(ENGLISH_ONLY_NOTE);
    expect(page.body).toContain('<div class="app-story__text">');
    expect(page.body).toContain('<div class="app-story__body">');
    expect(page.body).toContain('Cyhoeddwyd <time');
    expect(page.body).toContain('Sylwadau (0)');
    expect(page.body).toContain('Anfon sylw');
    expect(page.body).not.toContain('Working with people');
  });

  it('shows the English marked lang="en", with a note in Welsh, when there is no Welsh version', async () => {
    const story = await createStory(db, { title: 'Only in English', bodyHtml: '<p>English words.</p>' });
    const page = await app.inject(`/stories/${story.slug}?lang=cy`);
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain(ENGLISH_ONLY_NOTE);
    expect(page.body).toMatch(/<div class="app-story__text" lang="en">\s*<h1[^>]*>Only in English<\/h1>/);
    expect(page.body).toMatch(/<div class="app-story__body" lang="en">\s*<p>English words\.<\/p>/);
    // The page's own words stay Welsh.
    expect(page.body).toContain('Gadael sylw');
  });

  it('caches one page per language, each rendered in its own language', async () => {
    const story = await createStory(db, { title: 'Cached in two languages', translations: welshVersion });
    const welsh = new Browser(app);
    await welsh.get('/?lang=cy');
    const english = new Browser(app);
    for (let i = 0; i < 2; i++) {
      const cy = await welsh.get(`/stories/${story.slug}`);
      const en = await english.get(`/stories/${story.slug}`);
      expect(cy.body).toContain('<html lang="cy">');
      expect(cy.body).toContain('Gweithio gyda phobl');
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('Cached in two languages');
      expect(en.body).not.toContain('Gweithio gyda phobl');
    }
  });

  it("links the cached page to its other language without the first reader's tracking parameters", async () => {
    const story = await createStory(db, { title: 'Shared on social media' });
    const first = await app.inject(`/stories/${story.slug}?utm_source=social&lang=cy`);
    expect(first.statusCode).toBe(200);
    const later = await app.inject({ url: `/stories/${story.slug}`, headers: { cookie: 'coproduce.lang=cy' } });
    expect(later.body).toContain('<html lang="cy">');
    expect(later.body).toContain(`href="/stories/${story.slug}?lang=en"`);
    expect(later.body).not.toContain('utm_source');
  });

  it('lists stories in Welsh where they have a version, and in English marked so where not', async () => {
    await createStory(db, { title: 'A listed English story', translations: {} });
    await createStory(db, { title: 'A listed story', translations: { cy: { ...welshVersion.cy, title: 'Stori ar y rhestr' } } });
    const list = await app.inject('/stories?lang=cy');
    expect(list.body).toContain('<h1>Straeon');
    expect(list.body).toContain('Stori ar y rhestr');
    expect(list.body).toMatch(
      /<h2 class="nhsuk-heading-m nhsuk-u-margin-bottom-1" lang="en"><a href="[^"]+">A listed English story<\/a><\/h2>/,
    );
    expect(list.body).toContain(ENGLISH_ONLY_NOTE);
  });

  it('shows a tag page in Welsh, with the count in Welsh', async () => {
    const { browser } = await signedInBrowser(app);
    const saved = await browser.submit('/admin/stories/new', '/admin/stories/new', storyForm({ tags: 'Gofal' }));
    expect(saved.statusCode).toBe(303);
    const page = await app.inject('/stories/tags/gofal?lang=cy');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Straeon am');
    expect(page.body).toContain('1 stori ar y pwnc hwn.');
  });
});

describe('the staff story form in two languages', () => {
  it('saves a Welsh version beside the English, rendering its Markdown, and shows it again to edit', async () => {
    const { browser } = await signedInBrowser(app);
    const form = storyForm({ title: 'Side by side', title_cy: 'Ochr yn ochr', summary_cy: 'Crynodeb.', body_cy: 'Testun **trwm**.' });
    const saved = await browser.submit('/admin/stories/new', '/admin/stories/new', form);
    expect(saved.statusCode).toBe(303);
    const [row] = await db.select().from(stories).where(eq(stories.title, 'Side by side'));
    expect(row!.translations).toEqual({
      cy: {
        title: 'Ochr yn ochr',
        summary: 'Crynodeb.',
        bodyMarkdown: 'Testun **trwm**.',
        bodyHtml: '<p>Testun <strong>trwm</strong>.</p>',
      },
    });
    const edit = await browser.get(`/admin/stories/${row!.id}/edit`);
    expect(edit.body).toContain('name="title_cy"');
    expect(edit.body).toContain('value="Ochr yn ochr"');
    expect(edit.body).toContain('Testun **trwm**.</textarea>');
    const reader = await app.inject(`/stories/${row!.slug}?lang=cy`);
    expect(reader.body).toContain('Testun <strong>trwm</strong>.');

    // Emptying the Welsh fields removes the Welsh version.
    const cleared = await browser.submit(`/admin/stories/${row!.id}/edit`, `/admin/stories/${row!.id}/edit`, {
      ...form,
      slug: row!.slug,
      title_cy: '',
      summary_cy: '',
      body_cy: '',
    });
    expect(cleared.statusCode).toBe(303);
    const [after] = await db.select().from(stories).where(eq(stories.id, row!.id));
    expect(after!.translations).toEqual({});
  });

  it('asks for all three Welsh fields once one is written', async () => {
    const { browser } = await signedInBrowser(app);
    const res = await browser.submit('/admin/stories/new', '/admin/stories/new', storyForm({ title_cy: 'Dim ond teitl' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the Welsh summary, or leave all the Welsh fields empty');
    expect(res.body).toContain('Enter the Welsh story, or leave all the Welsh fields empty');
    expect(res.body).toContain('href="#summary_cy"');
  });

  it('previews the Welsh version beside the English', async () => {
    const { browser } = await signedInBrowser(app);
    const res = await browser.submit(
      '/admin/stories/new',
      '/admin/stories/new',
      storyForm({ action: 'preview', title_cy: 'Rhagolwg', summary_cy: 'Crynodeb.', body_cy: 'Testun.' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The Welsh version');
    expect(res.body).toMatch(/<article class="app-story" lang="cy">[\s\S]*Rhagolwg/);
  });
});
