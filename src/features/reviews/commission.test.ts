import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { postReviewForm, reviewForm, reviewIdFrom, testPdf } from './commission-test-support.ts';
import { reviewQuestions, reviews, reviewSections } from './tables.ts';

describe('staff commission a review', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coproduce-reviews-'));
  const { app, db } = await buildTestApp({ dataDir });
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const { browser: plainStaff } = await signedInBrowser(app, 'staff');
  const stored = async () => readdir(join(dataDir, 'media')).catch(() => [] as string[]);
  const sectionsOf = (id: number) =>
    db.select().from(reviewSections).where(eq(reviewSections.reviewId, id)).orderBy(asc(reviewSections.position));

  it('are pages only staff who run involvement reach (a plain staff role gets 403)', async () => {
    for (const url of ['/admin/reviews', '/admin/reviews/new']) {
      expect((await plainStaff.get(url)).statusCode, url).toBe(403);
      expect((await lead.get(url)).statusCode, url).toBe(200);
    }
    const res = await postReviewForm(app, lead, '/admin/reviews/new', reviewForm());
    const id = reviewIdFrom(res.headers.location);
    expect((await plainStaff.get(`/admin/reviews/${id}`)).statusCode).toBe(403);
    expect((await plainStaff.post(`/admin/reviews/${id}/open`, {})).statusCode).toBe(403);
    expect((await lead.get('/admin/reviews/abc')).statusCode).toBe(404);
  });

  it('saves a Markdown document as sections: an Introduction, then one per heading, sanitised', async () => {
    const res = await postReviewForm(
      app,
      lead,
      '/admin/reviews/new',
      reviewForm({
        title: 'Markdown review',
        documentMarkdown: 'Opening words.\n\n# Summary\n<script>alert(1)</script>\n\n## Findings\n### Detail\nMore.',
      }),
    );
    expect(res.statusCode).toBe(303);
    const id = reviewIdFrom(res.headers.location);
    const sections = await sectionsOf(id);
    expect(sections.map((s) => s.heading)).toEqual(['Introduction', 'Summary', 'Findings']);
    expect(sections[1]!.bodyHtml).not.toContain('<script');
    expect(sections[2]!.bodyHtml).toContain('<h3>Detail</h3>');
    const [review] = await db.select().from(reviews).where(eq(reviews.id, id));
    expect(review).toMatchObject({ state: 'draft', source: 'markdown', estimatedMinutes: 120, activityKind: null });
    expect(review!.briefHtml).toContain('<strong>summary</strong>');
    const page = await lead.get(`/admin/reviews/${id}`);
    expect(page.body).toContain('Findings');
    expect(page.body).toContain('Open the review and send invitations');
    expect((await db.select().from(auditEvents)).some((e) => e.action === 'review.created')).toBe(true);
  });

  it('shows every mistake at once with the error summary, and saves nothing', async () => {
    const before = (await db.select().from(reviews)).length;
    const res = await postReviewForm(
      app,
      lead,
      '/admin/reviews/new',
      reviewForm({ title: '', documentMarkdown: '', estimatedHours: 'lots', 'deadline-year': '2001' }),
    );
    expect(res.statusCode).toBe(400);
    for (const href of ['#title', '#documentMarkdown', '#estimatedHours', '#deadline']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('Enter a title');
    expect((await db.select().from(reviews)).length).toBe(before);
  });

  it('takes a PDF, stores it privately and reads its text page by page (plain and FlateDecode)', async () => {
    for (const compress of [false, true]) {
      const pdf = testPdf(['Leaflet front page', 'Leaflet back page'], compress);
      const res = await postReviewForm(
        app,
        lead,
        '/admin/reviews/new',
        reviewForm({ title: `PDF ${compress}`, source: 'pdf', documentMarkdown: '' }),
        {
          filename: 'leaflet draft.pdf',
          content: pdf,
        },
      );
      expect(res.statusCode).toBe(303);
      const id = reviewIdFrom(res.headers.location);
      const [review] = await db.select().from(reviews).where(eq(reviews.id, id));
      expect(review).toMatchObject({ source: 'pdf', documentName: 'leaflet draft.pdf', documentBytes: pdf.length });
      expect(review!.documentKey).toMatch(/^private-[a-f0-9]{32}\.pdf$/);
      expect((await app.inject(`/media/${review!.documentKey}`)).statusCode).toBe(404);
      const sections = await sectionsOf(id);
      expect(sections.map((s) => [s.heading, s.bodyMarkdown])).toEqual([
        ['Page 1', 'Leaflet front page'],
        ['Page 2', 'Leaflet back page'],
      ]);
      const download = await lead.get(`/admin/reviews/${id}/document`);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="leaflet draft\.pdf"/);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.rawPayload.equals(pdf)).toBe(true);
      expect((await plainStaff.get(`/admin/reviews/${id}/document`)).statusCode).toBe(403);
    }
  });

  it('gives a PDF with no readable text one section, "The whole document"', async () => {
    const res = await postReviewForm(app, lead, '/admin/reviews/new', reviewForm({ title: 'Scanned', source: 'pdf' }), {
      filename: 'scan.pdf',
      content: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
    });
    expect(res.statusCode).toBe(303);
    expect((await sectionsOf(reviewIdFrom(res.headers.location))).map((s) => [s.heading, s.bodyHtml])).toEqual([
      ['The whole document', ''],
    ]);
  });

  it('refuses a file that is not a PDF (whatever its name says), with the error summary, storing nothing', async () => {
    const [rowsBefore, filesBefore] = [(await db.select().from(reviews)).length, (await stored()).length];
    const res = await postReviewForm(app, lead, '/admin/reviews/new', reviewForm({ title: 'Not a PDF', source: 'pdf' }), {
      filename: 'report.pdf',
      content: Buffer.from('<html><script>alert(1)</script></html>'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('The file must be a PDF');
    expect(res.body).toContain('href="#file"');
    expect(res.body).toContain('value="Not a PDF"');
    const none = await postReviewForm(app, lead, '/admin/reviews/new', reviewForm({ title: 'No file', source: 'pdf' }));
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose a PDF file to upload');
    expect((await db.select().from(reviews)).length).toBe(rowsBefore);
    expect((await stored()).length).toBe(filesBefore);
  });

  it('adds questions (a rating gets its five usual labels) and refuses the document changed once open', async () => {
    const created = await postReviewForm(app, lead, '/admin/reviews/new', reviewForm({ title: 'To open' }));
    const id = reviewIdFrom(created.headers.location);
    const page = `/admin/reviews/${id}`;
    const bad = await lead.submit(page, `${page}/questions`, {
      kind: 'single-choice',
      label: 'Pick one',
      options: 'Only one',
      required: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#question-options"');
    expect(await db.select().from(reviewQuestions).where(eq(reviewQuestions.reviewId, id))).toEqual([]);
    expect(
      (await lead.submit(page, `${page}/questions`, { kind: 'rating', label: 'How clear is it?', options: '', required: 'yes' }))
        .statusCode,
    ).toBe(303);
    expect((await lead.submit(page, `${page}/questions`, { kind: 'long-text', label: 'Anything else?', required: 'no' })).statusCode).toBe(
      303,
    );
    const questions = await db
      .select()
      .from(reviewQuestions)
      .where(eq(reviewQuestions.reviewId, id))
      .orderBy(asc(reviewQuestions.position));
    expect(questions.map((q) => q.label)).toEqual(['How clear is it?', 'Anything else?']);
    expect(questions[0]!.options).toEqual(['Very poor', 'Poor', 'Fair', 'Good', 'Very good']);
    expect((await lead.submit(page, `${page}/questions/${questions[1]!.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    const moved = await db.select().from(reviewQuestions).where(eq(reviewQuestions.reviewId, id)).orderBy(asc(reviewQuestions.position));
    expect(moved.map((q) => q.label)).toEqual(['Anything else?', 'How clear is it?']);

    expect((await lead.submit(page, `${page}/open`, {})).headers.location).toBe(`${page}?saved=opened&count=0`);
    const before = await sectionsOf(id);
    const edit = await lead.get(`${page}/edit`);
    expect(edit.body).toContain('The document cannot be changed now the review is open');
    expect(edit.body).not.toContain('name="documentMarkdown"');
    const refused = await postReviewForm(app, lead, `${page}/edit`, reviewForm({ title: 'To open', documentMarkdown: '# Replaced' }));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The document cannot be changed once the review is open');
    expect(await sectionsOf(id)).toEqual(before);
    const { source: _s, documentMarkdown: _d, sourceUrl: _u, pageText: _p, ...rest } = reviewForm({ title: 'Renamed once open' });
    expect((await postReviewForm(app, lead, `${page}/edit`, rest)).statusCode).toBe(303);
    expect((await db.select().from(reviews).where(eq(reviews.id, id)))[0]!.title).toBe('Renamed once open');
    expect((await lead.submit(page, `${page}/questions/${questions[0]!.id}/remove`, {})).statusCode).toBe(409);

    expect((await lead.submit(page, `${page}/close`, {})).statusCode).toBe(303);
    const [closed] = await db.select().from(reviews).where(eq(reviews.id, id));
    expect(closed!.state).toBe('closed');
    expect(closed!.closedAt).not.toBeNull();
    expect((await lead.submit(page, `${page}/close`, {})).statusCode).toBe(409);
  });
});
