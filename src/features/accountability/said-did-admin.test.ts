import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { createGroup, createMeeting } from '#src/features/groups/meetings-test-support.ts';
import { insertReview } from '#src/features/reviews/responses-test-support.ts';
import { commitments, commitmentStatuses, saidDidEntries } from './tables.ts';

const BASE = '/admin/you-said-we-did';

// What a browser would send from the form as it is shown: its text boxes, text areas, checked
// radios and chosen options.
const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
function shownFields(html: string): Record<string, string> {
  const form = html.slice(html.indexOf('<form method="post" action="/admin/you-said-we-did/new"'));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (!name || (/type="(radio|checkbox)"/.test(tag) && !/\bchecked\b/.test(tag))) continue;
    out[name] = decode(value);
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[m[1]!] = decode(m[2]!.replace(/^\n/, ''));
  for (const m of form.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1]!] = /<option value="([^"]*)"[^>]*selected/.exec(m[2]!)?.[1] ?? '';
  return out;
}
const valid = {
  title: 'Clearer appointment letters',
  youSaid: 'The letters were **hard to read**.',
  weDid: 'We rewrote them with the panel.',
  title_cy: 'Llythyrau apwyntiad cliriach',
  youSaid_cy: 'Roedd y llythyrau yn anodd eu darllen.',
  weDid_cy: '',
  source: 'survey',
  sourceTitle: 'Spring survey 2026',
  sourcePath: '',
  sourceId: '',
  groupId: '',
  theme: 'Appointments',
  commitmentId: '',
  'happenedOn-day': '3',
  'happenedOn-month': '3',
  'happenedOn-year': '2026',
  creditedNames: '',
};

// Staff write, check, publish, unpublish and delete "you said, we did" entries; bad input changes
// nothing; an entry starts in one step from a review's published summary or a meeting's minutes,
// and those pages then link to it instead.
describe('you said, we did: staff', async () => {
  const { app, db } = await buildTestApp();
  const { browser: staff } = await signedInBrowser(app, 'admin');
  const rows = () => db.select().from(saidDidEntries);
  const create = (fields: Record<string, string>) => staff.submit(`${BASE}/new`, `${BASE}/new`, { ...valid, ...fields });
  const [status] = await db.insert(commitmentStatuses).values({ key: 'on-track', name: 'On track', category: 'on-track' }).returning();
  const [commitment] = await db
    .insert(commitments)
    .values({ slug: 'pay-contributors-promptly', title: 'Pay contributors promptly', statusId: status!.id, publishedAt: new Date() })
    .returning();

  it('is only for staff', async () => {
    expect((await new Browser(app).get(BASE)).statusCode).not.toBe(200);
    const list = await staff.get(BASE);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('There are no entries yet.');
  });

  it('refuses missing fields, a bad date, a bad link and unknown choices, saving nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [
        { title: '', youSaid: '', weDid: '', source: '', 'happenedOn-day': '', 'happenedOn-month': '', 'happenedOn-year': '' },
        ['Enter a title', 'Enter what people said', 'Enter what we did', 'Select where it was said', 'Enter the date the change happened'],
      ],
      [{ 'happenedOn-day': '31', 'happenedOn-month': '2' }, ['The date the change happened must be a real date']],
      [{ 'happenedOn-year': '2999' }, ['The date the change happened must be today or in the past']],
      [{ 'happenedOn-month': '' }, ['must include a day, month and year']],
      [{ source: 'other', sourceTitle: '' }, ['Describe where it was said']],
      [{ source: 'gossip' }, ['Select where it was said']],
      [{ sourcePath: 'javascript:alert(1)' }, ['Enter a link starting with / or https://']],
      [{ sourcePath: '//evil.example' }, ['Enter a link starting with / or https://']],
      [{ groupId: '999999' }, ['Select a group from the list']],
      [{ groupId: 'abc' }, ['Select a group from the list']],
      [{ commitmentId: '999999' }, ['Select a commitment from the list']],
      [{ title: 'x'.repeat(161) }, ['Title must be 160 characters or fewer']],
    ];
    for (const [fields, messages] of cases) {
      const res = await create(fields);
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      for (const m of messages) expect(res.body).toContain(m);
    }
    expect(await rows()).toEqual([]);
  });

  it('refuses names unless staff confirm everyone agreed to be named', async () => {
    const res = await create({ creditedNames: 'Margaret Okafor, Dafydd Jones' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Confirm that everyone named agreed to be named');
    expect(res.body).toContain('href="#namesAgreed"');
    expect(res.body).toContain('Margaret Okafor, Dafydd Jones');
    expect(await rows()).toEqual([]);
  });

  it('saves a draft with Welsh beside English, publishes it (audited), unpublishes and deletes it', async () => {
    const res = await create({ creditedNames: 'Margaret Okafor', namesAgreed: 'yes', commitmentId: String(commitment!.id) });
    expect(res.statusCode).toBe(303);
    const [row] = await rows();
    expect(res.headers.location).toBe(`${BASE}/${row!.id}?saved=created`);
    expect(row).toMatchObject({
      slug: 'clearer-appointment-letters',
      title: 'Clearer appointment letters',
      source: 'survey',
      theme: 'Appointments',
      happenedOn: '2026-03-03',
      creditedNames: 'Margaret Okafor',
      commitmentId: commitment!.id,
      publishedAt: null,
    });
    expect(row!.youSaidHtml).toContain('<strong>hard to read</strong>');
    expect(row!.translations).toEqual({
      cy: {
        title: 'Llythyrau apwyntiad cliriach',
        youSaidMarkdown: 'Roedd y llythyrau yn anodd eu darllen.',
        youSaidHtml: expect.any(String),
      },
    });
    expect((await new Browser(app).get('/you-said-we-did/clearer-appointment-letters')).statusCode).toBe(404);

    const edit = `${BASE}/${row!.id}`;
    const page = await staff.get(edit);
    expect(page.body).toContain('value="Llythyrau apwyntiad cliriach"');
    expect(page.body).toContain('<option value="Appointments">');

    const changed = await staff.submit(edit, edit, {
      ...valid,
      title: 'Clearer letters',
      namesAgreed: 'yes',
      creditedNames: 'Margaret Okafor',
    });
    expect(changed.statusCode).toBe(303);
    expect((await rows())[0]).toMatchObject({ title: 'Clearer letters', slug: 'clearer-appointment-letters', commitmentId: null });

    expect((await staff.submit(edit, `${edit}/publish`, {})).headers.location).toBe(`${edit}?saved=published`);
    expect((await rows())[0]!.publishedAt).not.toBeNull();
    expect((await new Browser(app).get('/you-said-we-did/clearer-appointment-letters')).statusCode).toBe(200);
    await staff.submit(edit, `${edit}/unpublish`, {});
    expect((await rows())[0]!.publishedAt).toBeNull();
    expect((await new Browser(app).get('/you-said-we-did/clearer-appointment-letters')).statusCode).toBe(404);

    const gone = await staff.submit(`${edit}/delete`, `${edit}/delete`, {});
    expect(gone.headers.location).toBe(`${BASE}?saved=deleted`);
    expect(await rows()).toEqual([]);
    const audits = await db.select({ action: auditEvents.action }).from(auditEvents);
    expect(audits.map((a) => a.action).filter((a) => a.startsWith('said-did.'))).toEqual([
      'said-did.published',
      'said-did.unpublished',
      'said-did.deleted',
    ]);
    expect((await staff.get(edit)).statusCode).toBe(404);
  });

  it("starts an entry from a review's published summary, and the review then links to it", async () => {
    const group = await createGroup(db, { name: 'Readers panel' });
    const draft = await insertReview(db, { title: 'Unpublished review' });
    expect((await staff.get(`${BASE}/new?from=review&id=${draft.id}`)).statusCode).toBe(404);
    expect((await staff.get(`/admin/reviews/${draft.id}/collate`)).body).not.toContain('Record in you said, we did');

    const review = await insertReview(db, {
      title: 'Leaflet on hip replacements',
      groupId: group.id,
      summaryMarkdown: 'We cut the jargon.',
      summaryHtml: '<p>We cut the jargon.</p>',
      summaryPublishedAt: new Date(),
    });
    const collate = await staff.get(`/admin/reviews/${review.id}/collate`);
    expect(collate.body).toContain(`href="${BASE}/new?from=review&amp;id=${review.id}"`);
    const form = await staff.get(`${BASE}/new?from=review&id=${review.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Leaflet on hip replacements"');
    expect(form.body).toContain(`value="/reviews/${review.id}/summary"`);
    expect(form.body).toContain('0 comments from 0 reviewers.');
    expect(form.body).toContain('We cut the jargon.');
    expect(form.body).toMatch(new RegExp(`<option value="${group.id}" selected`));
    expect(form.body).toMatch(/value="review"[^>]*checked/);

    const saved = await staff.post(`${BASE}/new`, { ...shownFields(form.body), weDid: 'We rewrote the leaflet.' });
    expect(saved.statusCode).toBe(303);
    const [row] = await db.select().from(saidDidEntries).where(eq(saidDidEntries.sourceId, review.id));
    expect(row).toMatchObject({
      source: 'review',
      groupId: group.id,
      groupName: 'Readers panel',
      sourcePath: `/reviews/${review.id}/summary`,
    });

    const again = await staff.get(`/admin/reviews/${review.id}/collate`);
    expect(again.body).toContain('See the you said, we did entry');
    expect(again.body).toContain(`href="${BASE}/${row!.id}"`);
    const reopened = await staff.get(`${BASE}/new?from=review&id=${review.id}`);
    expect(reopened.headers.location).toBe(`${BASE}/${row!.id}`);
    expect((await staff.get(BASE)).body).not.toContain(`Record Leaflet on hip replacements`);
  });

  it("starts an entry from a meeting's published minutes, and the meeting then links to it", async () => {
    const group = await createGroup(db, { name: 'Carers group' });
    const meeting = await createMeeting(db, {
      groupId: group.id,
      title: 'Winter meeting',
      startsAt: new Date('2026-01-14T14:00:00Z'),
      endsAt: new Date('2026-01-14T16:00:00Z'),
      minutesMarkdown: 'Members asked for **quieter** waiting rooms.',
      minutesHtml: '<p>Members asked for <strong>quieter</strong> waiting rooms.</p>',
      minutesPublishedAt: new Date(),
      minutesPublic: true,
    });
    const before = await staff.get(`/admin/meetings/${meeting.id}`);
    expect(before.body).toContain(`href="${BASE}/new?from=meeting&amp;id=${meeting.id}"`);
    const form = await staff.get(`${BASE}/new?from=meeting&id=${meeting.id}`);
    expect(form.body).toContain('value="Winter meeting"');
    expect(form.body).toContain('Members asked for **quieter** waiting rooms.');
    expect(form.body).toContain(`value="/meetings/${meeting.id}"`);
    expect(form.body).toContain('name="happenedOn-day" type="text" value="14"');
    const saved = await staff.post(`${BASE}/new`, { ...shownFields(form.body), weDid: 'We turned the screens down.' });
    expect(saved.statusCode).toBe(303);
    const [row] = await db
      .select()
      .from(saidDidEntries)
      .where(and(eq(saidDidEntries.source, 'meeting'), eq(saidDidEntries.sourceId, meeting.id)));
    expect(row).toMatchObject({ title: 'Winter meeting', groupId: group.id, happenedOn: '2026-01-14' });
    expect((await staff.get(`/admin/meetings/${meeting.id}`)).body).toContain('See the you said, we did entry');

    const noMinutes = await createMeeting(db, { groupId: group.id });
    expect((await staff.get(`${BASE}/new?from=meeting&id=${noMinutes.id}`)).statusCode).toBe(404);
    expect((await staff.get(`/admin/meetings/${noMinutes.id}`)).body).not.toContain('you said, we did');
  });
});
