import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { multipart } from '#tests/helpers/multipart.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { seedDemoStandards } from './standards-demo.ts';
import {
  assessmentActions,
  assessmentEvidence,
  assessmentRatings,
  assessmentRounds,
  commitments,
  commitmentStatuses,
  standardFrameworks,
  standards,
} from './tables.ts';

describe('assessment rounds against involvement standards', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coproduce-standards-'));
  const { app, db, services, config } = await buildTestApp({ dataDir });
  const { browser: lead } = await signedInBrowser(app, 'staff');
  const anonymous = new Browser(app);
  const [ukspi] = await db.select().from(standardFrameworks).where(eq(standardFrameworks.key, 'ukspi'));
  const ukStandards = await db.select().from(standards).where(eq(standards.frameworkId, ukspi!.id));
  // A "not started" status, so an action can become a draft commitment (the commitments area
  // defines the real ones).
  await db.insert(commitmentStatuses).values({ key: 'not-started', name: 'Not started', category: 'not-started' }).onConflictDoNothing();

  const roundForm = (over: Record<string, string> = {}) => ({
    title: '2027 annual review',
    frameworkId: String(ukspi!.id),
    'periodStart-day': '1',
    'periodStart-month': '1',
    'periodStart-year': '2027',
    'periodEnd-day': '31',
    'periodEnd-month': '12',
    'periodEnd-year': '2027',
    summary: 'What we **found**.',
    ...over,
  });
  const createRound = async (over: Record<string, string> = {}) => {
    const res = await lead.submit('/admin/standards/new', '/admin/standards/new', roundForm(over));
    expect(res.statusCode).toBe(303);
    return Number(/\/admin\/standards\/(\d+)/.exec(String(res.headers.location))![1]);
  };
  const rate = (roundId: number, standardId: number, form: Record<string, string>) => {
    const url = `/admin/standards/${roundId}/standards/${standardId}`;
    return lead.submit(url, url, form);
  };

  it('refuses a round with bad input and saves nothing', async () => {
    const before = (await db.select().from(assessmentRounds)).length;
    const res = await lead.submit(
      '/admin/standards/new',
      '/admin/standards/new',
      roundForm({ title: '', frameworkId: '999999', 'periodEnd-year': '2026' }),
    );
    expect(res.statusCode).toBe(400);
    for (const href of ['#title', '#frameworkId', '#periodEnd']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('The end of the period must be the same as or after its start');
    const nonsense = await lead.submit('/admin/standards/new', '/admin/standards/new', roundForm({ 'periodStart-month': '13' }));
    expect(nonsense.statusCode).toBe(400);
    expect(nonsense.body).toContain('href="#periodStart"');
    expect((await db.select().from(assessmentRounds)).length).toBe(before);
  });

  it('takes ratings, refuses an unknown one, refuses completing with standards unrated, then completes and freezes', async () => {
    const id = await createRound({ title_cy: 'Adolygiad 2027' });
    const [round] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, id));
    expect(round).toMatchObject({ slug: '2027-annual-review', state: 'draft', periodStart: '2027-01-01', periodEnd: '2027-12-31' });
    expect(round!.translations.cy?.title).toBe('Adolygiad 2027');
    expect(await createRound()).not.toBe(id);
    expect((await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, '2027-annual-review-2'))).length).toBe(1);

    const [first, ...rest] = ukStandards;
    const bad = await rate(id, first!.id, { rating: 'superb', narrative: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose a rating from the list');
    expect((await db.select().from(assessmentRatings).where(eq(assessmentRatings.roundId, id))).length).toBe(0);
    expect((await rate(id, first!.id, { rating: 'developing', narrative: 'We *tried*.' })).statusCode).toBe(303);

    const page = await lead.get(`/admin/standards/${id}/complete`);
    expect(page.body).toContain(rest[0]!.name);
    const refused = await lead.submit(`/admin/standards/${id}/complete`, `/admin/standards/${id}/complete`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Rate every standard before completing the round');
    expect(refused.body).toContain(rest[rest.length - 1]!.name);

    for (const s of rest) expect((await rate(id, s.id, { rating: 'established', narrative: '' })).statusCode).toBe(303);
    const done = await lead.submit(`/admin/standards/${id}/complete`, `/admin/standards/${id}/complete`, {});
    expect(done.statusCode).toBe(303);
    const [completed] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, id));
    expect(completed!.state).toBe('completed');
    expect(completed!.completedAt).not.toBeNull();
    const kept = await db.select().from(assessmentRatings).where(eq(assessmentRatings.roundId, id));
    expect(kept.every((r) => r.measures !== null)).toBe(true);
    expect(kept.find((r) => r.standardId === first!.id)!.narrativeHtml).toContain('<em>tried</em>');

    const late = await lead.post(`/admin/standards/${id}/standards/${first!.id}`, {
      ...hiddenFields((await lead.get(`/admin/standards/${id}`)).body, `/admin/standards/${id}/publish`),
      rating: 'excellent',
    });
    expect(late.statusCode).toBe(409);
    expect((await db.select().from(assessmentRatings).where(eq(assessmentRatings.standardId, first!.id)))[0]!.rating).toBe('developing');
    expect((await db.select().from(auditEvents)).some((e) => e.action === 'standards.round-completed')).toBe(true);

    // Not public until published; then public.
    expect((await anonymous.get('/standards/2027-annual-review')).statusCode).toBe(404);
    expect((await lead.submit(`/admin/standards/${id}`, `/admin/standards/${id}/publish`, {})).statusCode).toBe(303);
    const summary = await anonymous.get('/standards/2027-annual-review');
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('<strong>found</strong>');
    expect(summary.body).toContain('First round: nothing to compare with');
    expect((await db.select().from(auditEvents)).some((e) => e.action === 'standards.round-published')).toBe(true);
  });

  it('makes an action a draft commitment in one step and links them', async () => {
    const id = await createRound({ title: 'Actions round' });
    const s = ukStandards[0]!;
    const url = `/admin/standards/${id}/standards/${s.id}`;
    const bad = await lead.submit(url, `${url}/actions`, { text: '', 'dueOn-day': '31', 'dueOn-month': '2', 'dueOn-year': '2027' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#text"');
    expect(bad.body).toContain('href="#dueOn"');
    const added = await lead.submit(url, `${url}/actions`, {
      text: 'Advertise in the community centre',
      'dueOn-day': '1',
      'dueOn-month': '6',
      'dueOn-year': '2027',
    });
    expect(added.statusCode).toBe(303);
    const [action] = await db.select().from(assessmentActions).where(eq(assessmentActions.roundId, id));
    const made = await lead.submit(url, `/admin/standards/${id}/actions/${action!.id}/commitment`, {});
    expect(made.statusCode).toBe(303);
    const [linked] = await db.select().from(assessmentActions).where(eq(assessmentActions.id, action!.id));
    const [commitment] = await db.select().from(commitments).where(eq(commitments.id, linked!.commitmentId!));
    expect(commitment).toMatchObject({ title: 'Advertise in the community centre', dueOn: '2027-06-01', publishedAt: null });
    expect((await lead.get(url)).body).toContain(`/commitments/${commitment!.slug}`);
    const again = await lead.post(
      `/admin/standards/${id}/actions/${action!.id}/commitment`,
      hiddenFields((await lead.get(url)).body, `${url}/actions`),
    );
    expect(again.statusCode).toBe(409);
    // Two presses at once: one commitment.
    await lead.submit(url, `${url}/actions`, { text: 'Train staff to co-chair meetings' });
    const [second] = (await db.select().from(assessmentActions).where(eq(assessmentActions.roundId, id))).filter((a) => !a.commitmentId);
    const form = hiddenFields((await lead.get(url)).body, `${url}/actions`);
    const presses = await Promise.all([1, 2].map(() => lead.post(`/admin/standards/${id}/actions/${second!.id}/commitment`, form)));
    expect(presses.map((r) => r.statusCode).sort()).toEqual([303, 409]);
    expect((await db.select().from(commitments).where(eq(commitments.title, 'Train staff to co-chair meetings'))).length).toBe(1);
  });

  it('keeps uploaded evidence private and refuses what is not a document', async () => {
    const id = await createRound({ title: 'Evidence round' });
    const s = ukStandards[1]!;
    const url = `/admin/standards/${id}/standards/${s.id}`;
    const upload = async (fields: Record<string, string>, file?: { filename: string; content: Buffer }) => {
      const page = await lead.get(url);
      const { body, contentType } = multipart(
        { ...hiddenFields(page.body, `${url}/evidence/file`), ...fields },
        file && { name: 'file', ...file },
      );
      return app.inject({
        method: 'POST',
        url: `${url}/evidence/file`,
        payload: body,
        headers: { 'content-type': contentType, cookie: lead.cookieHeader },
      });
    };
    const wrong = await upload({ fileTitle: 'A script' }, { filename: 'notes.pdf', content: Buffer.from('<script>alert(1)</script>') });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The file must be a PDF, a Word document or an image');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const ok = await upload({ fileTitle: 'Minutes of the March meeting' }, { filename: 'minutes march.pdf', content: pdf });
    expect(ok.statusCode).toBe(303);
    const [evidence] = await db.select().from(assessmentEvidence).where(eq(assessmentEvidence.roundId, id));
    expect(evidence).toMatchObject({ kind: 'file', isPublic: false, fileName: 'minutes march.pdf' });
    expect(evidence!.fileKey).toMatch(/^private-/);
    expect(await readdir(join(dataDir, 'media'))).toContain(evidence!.fileKey);

    const file = await lead.get(`/admin/standards/${id}/evidence/${evidence!.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.headers['cache-control']).toContain('no-store');
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect((await anonymous.get(`/admin/standards/${id}/evidence/${evidence!.id}/file`)).statusCode).not.toBe(200);
    expect((await anonymous.get(`/media/${evidence!.fileKey}`)).statusCode).toBe(404);

    // A link, typed in: on the public summary only when public; the file never is.
    const link = await lead.submit(url, `${url}/evidence`, { href: '/opportunities', title: 'Our opportunities', isPublic: 'yes' });
    expect(link.statusCode).toBe(303);
    const badLink = await lead.submit(url, `${url}/evidence`, { href: 'javascript:alert(1)', title: 'Bad' });
    expect(badLink.statusCode).toBe(400);
    for (const other of ukStandards) if (other.id !== s.id) await rate(id, other.id, { rating: 'not-yet' });
    await rate(id, s.id, { rating: 'excellent' });
    await lead.submit(`/admin/standards/${id}/complete`, `/admin/standards/${id}/complete`, {});
    await lead.submit(`/admin/standards/${id}`, `/admin/standards/${id}/publish`, {});
    const summary = await anonymous.get('/standards/evidence-round');
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('Our opportunities');
    expect(summary.body).not.toContain('Minutes of the March meeting');
  });

  it('shows movement between two completed rounds on the public summary, and never drafts or unpublished rounds', async () => {
    await seedDemoStandards({ db, services, config, log: () => {} });
    const later = await anonymous.get('/standards/2025-annual-review');
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('Up from Developing');
    expect(later.body).toContain('No change: Developing last time too');
    expect(later.body).toContain('/commitments/our-promise-to-involve-people');
    expect(later.body).toContain('/standards/2024-baseline');
    const baseline = await anonymous.get('/standards/2024-baseline');
    expect(baseline.body).toContain('First round: nothing to compare with');
    expect((await anonymous.get('/standards/2026-annual-review')).statusCode).toBe(404);
    const draft = await createRound({ title: 'Draft round' });
    expect((await anonymous.get('/standards/draft-round')).statusCode).toBe(404);
    expect((await lead.get(`/admin/standards/${draft}`)).statusCode).toBe(200);
    const index = await anonymous.get('/standards');
    expect(index.body).toContain('2025 annual review');
    expect(index.body).not.toContain('2026 annual review');
    expect((await anonymous.get('/standards/2025-annual-review?lang=cy')).body).toContain('Adolygiad blynyddol 2025');
    // The contributors' view beside ours (from the assessing area's service): counts and comments,
    // never names.
    const [published] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, '2025-annual-review'));
    const presence = (await db.select().from(standards)).find((s) => s.key === 'presence' && s.frameworkId === published!.frameworkId)!;
    const holder = services as unknown as Record<string, unknown>;
    const real = holder.assessing;
    holder.assessing = {
      viewsFor: async (roundId: number) =>
        new Map(
          roundId === published!.id
            ? [
                [
                  presence.id,
                  {
                    count: 3,
                    ratings: { 'not-yet': 1, developing: 2, established: 0, excellent: 0 },
                    comments: ['Meet in the library too'],
                  },
                ],
              ]
            : [],
        ),
    };
    const withViews = await new Browser(app).get('/standards/2025-annual-review');
    holder.assessing = real;
    expect(withViews.body).toContain('3 contributors gave their view.');
    expect(withViews.body).toContain('Meet in the library too');
    // The staff round page shows movement against the previous completed round too.
    const [open] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, '2026-annual-review'));
    expect(open!.state).toBe('open');
    expect((await lead.get(`/admin/standards/${open!.id}`)).body).toContain('First round: nothing to compare with');
    // The staff home counts the open rounds.
    expect((await lead.get('/admin')).body).toMatch(/\d+ assessment rounds? open/);
  });
});
