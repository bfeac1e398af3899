import { describe, expect, it } from 'vitest';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { createStory, onStory } from '#tests/helpers/factories.ts';
import { comments } from '#src/features/comments/tables.ts';
import { catalogueTexts } from '#src/lib/i18n.ts';

const { app, db } = await buildTestApp();

// A key left in a page (`nav.comments.admin…`, `staff-home.admin.title`) instead of its words.
const rawKey = /\b(?:nav|staff-home|people|mail|jobs)\.[a-z][\w-]*\.[\w.-]+/;

describe('the staff home', () => {
  const story = createStory(db);
  const pending = async (n: number) => {
    const s = await story;
    for (let i = 0; i < n; i++)
      await db.insert(comments).values({ ...onStory(s.id), authorName: 'Sam', authorEmail: 'sam@example.org', body: `Comment ${i}` });
  };

  it('shows every area’s card and what is waiting, in English', async () => {
    await pending(1);
    const { browser } = await signedInBrowser(app, 'admin');
    const res = await browser.get('/admin');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Staff area</h1>');
    expect(res.body).toContain('Signed in as Test admin, Involvement lead (admin).');
    expect(res.body).toContain('>Stories</a>');
    expect(res.body).toContain('Write, preview and publish stories');
    expect(res.body).toContain('>Audit log</a>');
    expect(res.body).toContain('>Import an existing register</a>');
    expect(res.body).toContain('1 comment waiting for approval');
    expect(res.body).not.toMatch(rawKey);
  });

  it('says the number waiting in the plural when there are several', async () => {
    await pending(2);
    const { browser } = await signedInBrowser(app, 'staff');
    const res = await browser.get('/admin');
    expect(res.body).toMatch(/\d+ comments waiting for approval/);
    // Staff who may not see the register do not get its cards.
    expect(res.body).not.toContain('>People</a>');
  });

  it('speaks Welsh where the catalogue has it and English for the rest, never a raw key', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const res = await browser.get('/admin?lang=cy');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="cy">');
    expect(res.body).toContain('<h1>Ardal staff</h1>');
    expect(res.body).toContain('<title>Ardal staff – ');
    expect(res.body).toContain('Wedi mewngofnodi fel Test admin, Involvement lead (gweinyddwr).');
    expect(res.body).toContain('>Straeon</a>');
    expect(res.body).toContain('>Sylwadau</a>');
    expect(res.body).toMatch(/\d+ o sylwadau yn aros i gael eu cymeradwyo/);
    // Every card in Welsh where the catalogue has it, and otherwise in English: never the key.
    const [cy, en] = [catalogueTexts('cy'), catalogueTexts('en')];
    const escaped = (s: string) => s.replace(/'/g, '&#39;');
    for (const l of app.featureContext.extensions.nav.admin) {
      const title = cy.get(l.text) ?? en.get(l.text)!;
      expect(res.body, l.text).toContain(`>${escaped(title)}</a>`);
      if (l.description) expect(res.body, l.description).toContain(escaped(cy.get(l.description) ?? en.get(l.description)!));
    }
    expect(res.body).not.toMatch(rawKey);
  });

  it('has words for every link and count the manifests name, in English', () => {
    const en = catalogueTexts('en');
    const lookup = (key: string) => en.get(key);
    const links = [
      ...app.featureContext.extensions.nav.admin,
      ...app.featureContext.extensions.nav.main,
      ...app.featureContext.extensions.nav.footer,
    ];
    for (const l of links) {
      expect(typeof lookup(l.text), l.text).toBe('string');
      if (l.description) expect(typeof lookup(l.description), l.description).toBe('string');
    }
  });
});
