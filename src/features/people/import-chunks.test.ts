import { describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { msg } from '#src/lib/messages.ts';
import { user } from '#src/platform/identity/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { contributorImports } from './tables.ts';
import { createRegisterImports } from './import-service.ts';
import { HEADER, row } from './import-test-support.ts';

// The register import's job: chunk by chunk, resumed after an interruption, two workers at once,
// and a file read as the chunks are worked (import.test.ts has the pages staff use around it).
describe('the register import, chunk by chunk', async () => {
  const { app, db } = await buildTestApp();
  const { browser: staff, staff: staffAccount } = await signedInBrowser(app, 'involvement');
  const jobs = app.services.registerImports.jobs;
  // Uploaded, its guessed columns saved, and queued by hand (as confirm does, but without the job)
  // so the test decides when it runs.
  const queued = async (text: string) => {
    const uploaded = await app.services.registerImports.upload(text, { filename: 'register.csv', staffUserId: staffAccount.id });
    if (!uploaded.ok) throw new Error(uploaded.error);
    const id = uploaded.importId;
    const draft = await app.services.registerImports.draftForMapping(id);
    expect(
      await app.services.registerImports.saveMapping(id, Object.fromEntries(draft!.mapping.map((c, i) => [`column-${i}`, c]))),
    ).toEqual({ ok: true });
    await db.update(contributorImports).set({ status: 'queued' }).where(eq(contributorImports.id, id));
    return id;
  };

  it('records progress chunk by chunk and resumes after an interruption without doubling anyone', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 2500; i++)
      lines.push(row({ name: `Person ${i}`, email: `bulk${i}@example.net`, ...(i % 500 === 7 ? { date: '' } : {}) }));
    const id = await queued(lines.join('\n'));

    await jobs.run(id, { maxChunks: 1 });
    const part = (await jobs.get(id))!;
    expect(part).toMatchObject({ status: 'running', processedRows: 1000, importedCount: 998, rejectedCount: 2 });
    expect(await jobs.file(id)).toContain('bulk2499@example.net');
    const progress = await staff.get(`/admin/people/import/${id}`);
    expect(progress.body).toContain('1,000 of 2,500 rows checked (40%)');
    expect(progress.body).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(progress.body).toContain('data-refresh-seconds');
    expect(progress.body).toContain(`href="/admin/people/import/${id}?refresh=off">Stop updating this page`);
    const still = await staff.get(`/admin/people/import/${id}?refresh=off`);
    expect(still.body).not.toContain('data-refresh-seconds');
    expect(still.body).not.toContain('http-equiv="refresh"');
    expect(still.body).toContain('1,000 of 2,500 rows checked (40%)');
    expect(progress.body).toMatch(/<progress id="import-progress-bar" class="app-progress__bar" max="2500" value="1000">/);

    // Two workers (as in two processes) take up the rest at once: each chunk still counts once.
    const otherProcess = createRegisterImports(db, app.services, { error: () => {}, warn: () => {}, info: () => {} });
    await Promise.all([jobs.run(id), otherProcess.jobs.run(id)]);
    const done = (await jobs.get(id))!;
    expect(done).toMatchObject({ status: 'done', processedRows: 2500, importedCount: 2495, rejectedCount: 5 });
    expect(await jobs.file(id)).toBe('');
    const [people] = await db
      .select({ n: count() })
      .from(user)
      .where(sql`${user.email} like 'bulk%@example.net'`);
    expect(Number(people!.n)).toBe(2495);
    expect(
      (
        await db
          .select()
          .from(auditEvents)
          .where(sql`${auditEvents.details}->>'importId' = ${String(id)}`)
      ).length,
    ).toBe(1);
    // Running it again (a retried job) changes nothing.
    await jobs.run(id);
    expect((await jobs.get(id))!.importedCount).toBe(2495);
    const report = await staff.get(`/admin/people/import/${id}`);
    expect(report.body).not.toContain('http-equiv="refresh"');
    expect(report.body).toContain('2,495 of 2,500 rows were imported and 5 rejected');
  });

  it('decides repeated addresses over the whole file when resumed, and stops an import whose stored file is not the one checked', async () => {
    // Line 2102 repeats line 5's address; the run that reaches it never checks line 5's chunk.
    const lines = [HEADER];
    for (let i = 0; i < 2500; i++) lines.push(row({ name: `Later ${i}`, email: `later${i === 2100 ? 3 : i}@example.net` }));
    const id = await queued(lines.join('\n'));
    await jobs.run(id, { maxChunks: 1 });
    expect(await jobs.get(id)).toMatchObject({ status: 'running', processedRows: 1000, rejectedCount: 0 });
    await jobs.run(id);
    const done = (await jobs.get(id))!;
    expect(done).toMatchObject({ status: 'done', processedRows: 2500, importedCount: 2499, rejectedCount: 1 });
    expect(done.rejected).toEqual([
      { line: 2102, email: 'later3@example.net', reason: msg('people.admin.import.reasons.duplicate', { line: 5 }) },
    ]);

    // The file is read as the chunks are worked, so a stored file that lost rows after the upload
    // counted them is found part way: the import stops there, says so and keeps no file.
    const other = [HEADER];
    for (let i = 0; i < 1500; i++) other.push(row({ name: `Changed ${i}`, email: `changed${i}@example.net` }));
    const changed = await queued(other.join('\n'));
    await db
      .update(contributorImports)
      .set({ fileContent: other.slice(0, 1401).join('\n') })
      .where(eq(contributorImports.id, changed));
    await jobs.run(changed);
    const failed = (await jobs.get(changed))!;
    expect(failed).toMatchObject({ status: 'failed', failure: msg('jobs.admin.file.unreadable'), rejectedCount: 0 });
    expect(failed.processedRows).toBeLessThan(1500);
    expect(await jobs.file(changed)).toBe('');
    const [people] = await db
      .select({ n: count() })
      .from(user)
      .where(sql`${user.email} like 'changed%@example.net'`);
    expect(Number(people!.n)).toBe(failed.importedCount);
    const page = await staff.get(`/admin/people/import/${changed}`);
    expect(page.body).toContain('Import could not finish');
    expect(page.body).toContain('The selected file could not be read as CSV');
    expect(page.body).not.toContain('http-equiv="refresh"');
  });
});
