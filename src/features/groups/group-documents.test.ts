import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { tinyImages } from '#tests/helpers/images.ts';
import { multipart } from '#tests/helpers/multipart.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { groupAnnouncements, groupDocuments, meetings } from './tables.ts';
import { addMember, createGroup } from './groups-test-support.ts';

// A zip archive with its entries stored (not compressed): the shape of .docx and .odt files.
function storedZip(entries: [string, string][]) {
  const parts: Buffer[] = [];
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    parts.push(header, Buffer.from(name), data);
  }
  return Buffer.concat(parts);
}
const files = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
  docx: storedZip([
    ['[Content_Types].xml', '<Types/>'],
    ['word/document.xml', '<w:document/>'],
  ]),
  odt: storedZip([['mimetype', 'application/vnd.oasis.opendocument.text']]),
  doc: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]),
};

describe("a group's documents and announcements", async () => {
  const sink = await startSmtpSink();
  const dataDir = await mkdtemp(join(tmpdir(), 'coproduce-groups-'));
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, dataDir });
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const { browser: plainStaff } = await signedInBrowser(app, 'staff');
  const member = await joinedContributor(app, sink, 'Meg Member');
  const welsh = await joinedContributor(app, sink, 'Gwen Gymraeg');
  await welsh.browser.get('/profile?lang=cy');
  const otherMember = await joinedContributor(app, sink, 'Olly Other');
  const stored = async () => readdir(join(dataDir, 'media')).catch(() => [] as string[]);
  const g = await createGroup(db, { name: 'Papers panel', translations: { cy: { name: 'Panel papurau' } } });
  const other = await createGroup(db);
  await addMember(db, g.id, member.id);
  await addMember(db, g.id, welsh.id);
  await addMember(db, other.id, otherMember.id);

  async function upload(groupId: number, fields: Record<string, string>, file?: { filename: string; content: Buffer }) {
    const action = `/admin/groups/${groupId}/documents`;
    const page = await lead.get(action);
    const { body, contentType } = multipart({ ...hiddenFields(page.body, action), ...fields }, file && { name: 'file', ...file });
    return app.inject({ method: 'POST', url: action, payload: body, headers: { 'content-type': contentType, cookie: lead.cookieHeader } });
  }

  it('stores PDF, Word, ODT and image files by what their bytes are, under keys /media refuses', async () => {
    for (const [ext, content] of [...Object.entries(files), ['png', tinyImages.png] as const]) {
      const res = await upload(
        g.id,
        { title: `Paper as ${ext}`, largePrint: ext === 'pdf' ? 'yes' : '' },
        { filename: `paper.${ext}`, content },
      );
      expect(res.statusCode, ext).toBe(303);
    }
    const rows = await db.select().from(groupDocuments).where(eq(groupDocuments.groupId, g.id));
    expect(rows.map((r) => r.contentType).sort()).toEqual(
      [
        'application/msword',
        'application/pdf',
        'application/vnd.oasis.opendocument.text',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'image/png',
      ].sort(),
    );
    expect(rows.find((r) => r.contentType === 'application/pdf')!.largePrint).toBe(true);
    for (const r of rows) {
      expect(r.storageKey).toMatch(/^private-[a-f0-9]{32}\.(pdf|docx|doc|odt|png)$/);
      expect((await app.inject(`/media/${r.storageKey}`)).statusCode).toBe(404);
    }
    expect((await stored()).length).toBe(5);
    expect((await db.select().from(auditEvents)).filter((e) => e.action === 'group.document-added')).toHaveLength(5);
  });

  it('refuses a file of the wrong type (whatever its name says), too large or missing, storing nothing', async () => {
    const before = (await stored()).length;
    const html = await upload(
      g.id,
      { title: 'Not really a PDF' },
      { filename: 'report.pdf', content: Buffer.from('<html><script>alert(1)</script></html>') },
    );
    expect(html.statusCode).toBe(400);
    expect(html.body).toContain('The file must be a PDF, Word document');
    expect(html.body).toContain('href="#file"');
    expect(html.body).toContain('Not really a PDF');
    const zip = await upload(g.id, { title: 'A zip' }, { filename: 'x.docx', content: storedZip([['evil.exe', 'MZ']]) });
    expect(zip.statusCode).toBe(400);
    const big = await upload(
      g.id,
      { title: 'Huge' },
      { filename: 'big.pdf', content: Buffer.concat([files.pdf, Buffer.alloc(10 * 1024 * 1024)]) },
    );
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('The file must be smaller than 10 MB');
    const none = await upload(g.id, { title: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Enter a title for the document');
    expect(none.body).toContain('Choose a file to upload');
    expect((await stored()).length).toBe(before);
  });

  it("files a paper under one of the group's meetings, never another group's", async () => {
    const when = { startsAt: new Date('2027-03-01T10:00:00Z'), endsAt: new Date('2027-03-01T12:00:00Z') };
    const [ours] = await db
      .insert(meetings)
      .values({ groupId: g.id, title: 'March meeting', ...when })
      .returning();
    const [theirs] = await db
      .insert(meetings)
      .values({ groupId: other.id, title: 'Their meeting', ...when })
      .returning();
    const form = await lead.get(`/admin/groups/${g.id}/documents`);
    expect(form.body).toContain('March meeting');
    expect(form.body).not.toContain('Their meeting');
    const before = (await stored()).length;
    const wrong = await upload(g.id, { title: 'Agenda', meetingId: String(theirs!.id) }, { filename: 'a.pdf', content: files.pdf });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That meeting does not exist');
    expect((await stored()).length).toBe(before);
    const right = await upload(g.id, { title: 'Agenda', meetingId: String(ours!.id) }, { filename: 'a.pdf', content: files.pdf });
    expect(right.statusCode).toBe(303);
    expect((await app.services.groupDocuments.forMeeting(ours!.id)).map((d) => d.title)).toEqual(['Agenda']);
  });

  it('serves a document only to members and staff who run groups, as an attachment; another group’s id is not found', async () => {
    const [doc] = await db.select().from(groupDocuments).where(eq(groupDocuments.contentType, 'application/pdf'));
    const url = `/groups/${g.slug}/documents/${doc!.id}`;
    for (const b of [member.browser, lead]) {
      const res = await b.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="paper\.pdf"/);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.rawPayload.equals(files.pdf)).toBe(true);
    }
    for (const b of [new Browser(app), otherMember.browser, plainStaff]) expect((await b.get(url)).statusCode).toBe(404);
    // The document exists, but not in that group.
    await addMember(db, other.id, member.id);
    expect((await member.browser.get(`/groups/${other.slug}/documents/${doc!.id}`)).statusCode).toBe(404);
    expect((await member.browser.get(`/groups/${g.slug}/documents/abc`)).statusCode).toBe(404);
    expect((await member.browser.get(`/groups/${g.slug}`)).body).toContain(`href="${url}"`);
  });

  it('deletes a document and its file', async () => {
    const [doc] = await db.select().from(groupDocuments).where(eq(groupDocuments.contentType, 'image/png'));
    const res = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/documents/${doc!.id}/delete`, {});
    expect(res.statusCode).toBe(303);
    expect(await stored()).not.toContain(doc!.storageKey);
    expect((await member.browser.get(`/groups/${g.slug}/documents/${doc!.id}`)).statusCode).toBe(404);
    // Through another group's address: not found, nothing deleted.
    const [pdf] = await db.select().from(groupDocuments).where(eq(groupDocuments.contentType, 'application/pdf'));
    expect((await lead.submit(`/admin/groups/${other.id}`, `/admin/groups/${other.id}/documents/${pdf!.id}/delete`, {})).statusCode).toBe(
      404,
    );
  });

  it('posts an announcement, emailed to every member in their language, and lists it on the private page', async () => {
    const bad = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/announcements`, { title: '', body: 'Kept body' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title for the announcement');
    expect(bad.body).toContain('href="#announcement-title"');
    expect(bad.body).toContain('Kept body');
    expect(await db.select().from(groupAnnouncements)).toEqual([]);
    const res = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/announcements`, {
      title: 'Papers for March',
      body: 'The papers are **ready**.',
    });
    expect(res.headers.location).toBe(`/admin/groups/${g.id}?saved=announced&count=2`);
    expect((await lead.get(String(res.headers.location))).body).toContain('emailed to 2 members');
    const toMember = await sink.parse(await waitFor(() => sink.to(member.email).find((m) => m.raw.includes('Papers for March'))));
    expect(toMember.subject).toBe('Papers panel: Papers for March');
    const toWelsh = await sink.parse(await waitFor(() => sink.to(welsh.email).find((m) => m.raw.includes('Papers for March'))));
    expect(toWelsh.subject).toBe('Panel papurau: Papers for March');
    expect(sink.to(otherMember.email).filter((m) => m.raw.includes('Papers for March'))).toHaveLength(0);
    expect((await member.browser.get(`/groups/${g.slug}`)).body).toContain('<strong>ready</strong>');
  });
});
