import { describe, expect, it } from 'vitest';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';

// The home page, privacy notice and settings in two languages.
const { app, db, services } = await buildTestApp();
const ENGLISH_ONLY_NOTE = 'Mae hwn ar gael yn Saesneg yn unig.';

describe('the home page in Welsh', () => {
  it('shows the Welsh welcome text and the Welsh titles of the latest stories', async () => {
    await services.settings.update({
      ...(await services.settings.get()),
      welcome: 'Welcome in English.',
      translations: { cy: { welcome: 'Croeso yn Gymraeg.' } },
    });
    await createStory(db, {
      title: 'Latest in English',
      translations: { cy: { title: 'Y diweddaraf yn Gymraeg', summary: 'Crynodeb.', bodyMarkdown: 'x', bodyHtml: '<p>x</p>' } },
    });
    const page = await app.inject('/?lang=cy');
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain('Croeso yn Gymraeg.');
    expect(page.body).not.toContain('Welcome in English.');
    expect(page.body).toContain('Y straeon diweddaraf');
    expect(page.body).toContain('Y diweddaraf yn Gymraeg');
    expect(page.body).toContain('Pob stori');

    const english = await app.inject('/?lang=en');
    expect(english.body).toContain('Welcome in English.');
    expect(english.body).toContain('Latest in English');
    expect(english.body).not.toContain(ENGLISH_ONLY_NOTE);
  });

  it('shows the English welcome marked lang="en" with a note when there is no Welsh version', async () => {
    await services.settings.update({ ...(await services.settings.get()), welcome: 'Only English here.', translations: {} });
    const page = await app.inject('/?lang=cy');
    expect(page.body).toMatch(/<div lang="en">\s*<p class="nhsuk-lede-text">Only English here\.<\/p>/);
    expect(page.body).toContain(ENGLISH_ONLY_NOTE);
  });
});

describe('the privacy notice in Welsh', () => {
  it('is all in Welsh, and names the language cookie', async () => {
    const page = await app.inject('/privacy?lang=cy');
    expect(page.body).toContain('<html lang="cy">');
    expect(page.body).toContain('<h1>Hysbysiad preifatrwydd</h1>');
    expect(page.body).toContain('<title>Hysbysiad preifatrwydd – ');
    expect(page.body).toContain('id="email-updates">Diweddariadau e-bost</h2>');
    expect(page.body).toContain('<h2 id="cookies">Cwcis</h2>');
    expect(page.body).toContain('<code>coproduce.lang</code>');
    expect(page.body).toContain('Eich hawliau');
    expect(page.body).not.toMatch(/Privacy notice|Your rights|Cookies/);
  });

  it('names the language cookie in English too', async () => {
    const page = await app.inject('/privacy');
    expect(page.body).toContain('<code>coproduce.lang</code> remembers the language you chose');
  });
});

describe('settings', () => {
  it('saves a Welsh welcome text beside the English one and shows it again', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const form = await browser.get('/admin/settings');
    expect(form.body).toContain('name="welcome_cy"');
    const saved = await browser.submit('/admin/settings', '/admin/settings', {
      name: 'Test Org',
      welcome: 'Hello',
      welcome_cy: 'Shwmae',
      moderation: 'all',
      moderationEmail: '',
    });
    expect(saved.statusCode).toBe(303);
    expect((await services.settings.get()).translations).toEqual({ cy: { welcome: 'Shwmae' } });
    expect((await browser.get('/admin/settings')).body).toContain('Shwmae</textarea>');
    expect((await app.inject('/?lang=cy')).body).toContain('Shwmae');

    const invalid = await browser.submit('/admin/settings', '/admin/settings', {
      name: '',
      welcome: 'Hello',
      welcome_cy: 'x'.repeat(1001),
      moderation: 'all',
      moderationEmail: '',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Enter the organisation name');
    expect(invalid.body).toContain('Welsh welcome text must be 1000 characters or fewer');
    expect(invalid.body).toContain('href="#welcome_cy"');
  });
});
