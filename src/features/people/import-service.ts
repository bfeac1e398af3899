import { and, desc, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import type { Services } from '#src/platform/services.ts';
import type { Log } from '#src/lib/log.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { msg } from '#src/lib/messages.ts';
import { byCodeUnits } from '#src/lib/order.ts';
import { createImportJobs } from '#src/platform/jobs/import-runner.ts';
import { noteFirstLine, readCsvFile, type ParsedRow } from '#src/platform/jobs/import-rows.ts';
import { type RejectedRow } from '#src/platform/jobs/import-table.ts';
import {
  checkMapping,
  checkRow,
  emailOfRow,
  guessMapping,
  mappingForm,
  type CheckContext,
  type ColumnChoice,
  type ImportFieldKey,
  type ImportedPerson,
  type Term,
} from './import-fields.ts';
import { contributorImports } from './tables.ts';

export const REGISTER_IMPORT_QUEUE = 'contributors.import';
// emailOfLine: each row's address (or null), worked out once as the row is seen, for every use below.
type Ctx = CheckContext & { columnOf: Map<ImportFieldKey, number>; first: Map<string, number>; emailOfLine: Map<number, string | null> };

// Importing an existing register of contributors: upload (the file is checked and kept), say what
// each column holds, confirm, then a background job checks every row and adds the good ones in
// chunks. Imported people get an account they can sign in to by email link; nobody is emailed.
export function createRegisterImports(db: Db, deps: Pick<Services, 'queue' | 'audit' | 'identity' | 'profile' | 'dataRights'>, log: Log) {
  const valueOf = (ctx: Ctx, fields: string[], key: ImportFieldKey) => {
    const i = ctx.columnOf.get(key);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };

  async function processChunk(tx: Db | Tx, ctx: Ctx, rows: ParsedRow[]) {
    const rejected: RejectedRow[] = [];
    const candidates = rows.map((r) => ctx.emailOfLine.get(r.line)).filter((e): e is string => !!e);
    const existing = await deps.identity.existingAccountEmails(candidates, tx);
    const good: (ImportedPerson & { line: number })[] = [];
    for (const { line, fields } of rows) {
      const get = (key: ImportFieldKey) => valueOf(ctx, fields, key);
      const reject = (reason: string) => rejected.push({ line, email: get('email').slice(0, 254), reason });
      const email = ctx.emailOfLine.get(line);
      if (email && ctx.first.get(email) !== line) {
        reject(msg('people.admin.import.reasons.duplicate', { line: ctx.first.get(email) ?? 0 }));
        continue;
      }
      if (email && existing.has(email)) {
        reject(msg('people.admin.import.reasons.accountExists'));
        continue;
      }
      const checked = checkRow(get, ctx);
      if (!checked.ok) reject(checked.reason);
      else good.push({ ...checked.value, line });
    }
    if (!good.length) return { imported: 0, rejected };

    // The account first (the profile's search trigger reads its name), then everything hanging off it.
    const accounts = await deps.identity.insertContributorAccounts(
      good.map((g) => ({ name: g.fullName, email: g.email })),
      tx,
    );
    const idOf = new Map(accounts.map((a) => [a.email, a.id]));
    // In account id order: every table below is keyed by the id, so its index takes them page by page.
    const added = good
      .filter((g) => idOf.has(g.email))
      .map((g) => ({ ...g, userId: idOf.get(g.email)! }))
      .sort((a, b) => byCodeUnits(a.userId, b.userId));
    for (const g of good)
      if (!idOf.has(g.email))
        rejected.push({
          line: g.line,
          email: g.email,
          reason: msg('people.admin.import.reasons.accountMadeDuringImport'),
        });
    if (!added.length) return { imported: 0, rejected };
    await deps.profile.importProfiles(
      added.map((g) => ({
        userId: g.userId,
        preferredName: g.preferredName,
        phone: g.phone,
        postalAddress: g.postalAddress,
        region: g.region,
        interests: g.interests,
        accessNeedsNotes: g.accessNeedsNotes,
        paymentPreference: g.paymentPreference,
        lastInvolvedAt: g.lastInvolvedAt,
        termIds: g.termIds,
      })),
      tx,
    );
    await deps.dataRights.recordImportedConsents(
      added.map((g) => ({ userId: g.userId, at: g.consentDate, source: g.consentSource })),
      tx,
    );
    return { imported: added.length, rejected };
  }

  const jobs = createImportJobs<Ctx>(
    db,
    deps.queue,
    {
      table: 'contributor_imports',
      queueName: REGISTER_IMPORT_QUEUE,
      // On PostgreSQL the database does most of the work (indexes, foreign keys) and each chunk's
      // connection waits while this process checks its next rows: a third chunk at a time keeps
      // both cores of a small host busy. PGlite runs one transaction at a time whatever this says.
      concurrency: 3,
      async prepare(job) {
        const [row] = await db
          .select({ mapping: contributorImports.mapping })
          .from(contributorImports)
          .where(eq(contributorImports.id, job.id));
        const columnOf = new Map<ImportFieldKey, number>();
        (row?.mapping ?? []).forEach((choice, i) => {
          if (choice !== 'ignore') columnOf.set(choice as ImportFieldKey, i);
        });
        const terms = await deps.profile.terms();
        const termsByLabel = new Map<string, Term[]>();
        for (const t of terms) termsByLabel.set(t.label.toLowerCase(), [...(termsByLabel.get(t.label.toLowerCase()) ?? []), t]);
        return { now: new Date(), termsByLabel, columnOf, first: new Map(), emailOfLine: new Map() };
      },
      see(ctx, row) {
        const email = emailOfRow(valueOf(ctx, row.fields, 'email'));
        ctx.emailOfLine.set(row.line, email);
        noteFirstLine(ctx.first, email, row.line);
      },
      processChunk,
      // Counts only: what was imported is in the register itself.
      async finish(tx, job) {
        const [row] = await tx
          .select({ staffUserId: contributorImports.staffUserId })
          .from(contributorImports)
          .where(eq(contributorImports.id, job.id));
        await deps.audit.record(
          {
            actorUserId: row?.staffUserId ?? null,
            action: 'contributor.register-imported',
            details: { importId: job.id, rows: job.totalRows, imported: job.importedCount, rejected: job.rejectedCount },
          },
          tx,
        );
      },
    },
    log,
  );

  // A draft's details without its file.
  const draft = async (id: number) => {
    const [row] = await db
      .select({
        id: contributorImports.id,
        filename: contributorImports.filename,
        totalRows: contributorImports.totalRows,
        header: contributorImports.header,
        mapping: contributorImports.mapping,
      })
      .from(contributorImports)
      .where(and(eq(contributorImports.id, id), eq(contributorImports.status, 'draft')));
    return row;
  };

  return {
    jobs,

    // Step 1: the file is read and kept as a draft; nothing is imported yet.
    async upload(
      text: string,
      opts: { filename: string; staffUserId: string },
    ): Promise<{ ok: true; importId: number } | { ok: false; error: string }> {
      const read = readCsvFile(text);
      if (!read.ok) return read;
      const [row] = await db
        .insert(contributorImports)
        .values({
          filename: opts.filename,
          status: 'draft',
          fileContent: text,
          totalRows: read.rows.length,
          importedCount: 0,
          rejectedCount: 0,
          header: read.header,
          mapping: guessMapping(read.header),
          staffUserId: opts.staffUserId,
        })
        .returning({ id: contributorImports.id });
      return { ok: true, importId: row!.id };
    },

    // Step 2: the columns, with a few values from the first rows to help staff recognise them.
    async draftForMapping(id: number) {
      const row = await draft(id);
      if (!row) return undefined;
      // The first rows are enough for examples; no need to read a large file through.
      const first = parseCsv((await jobs.file(id)).slice(0, 65_536)).slice(1, 6);
      const examples = row.header.map((_, i) =>
        first
          .map((r) => (r.fields[i] ?? '').trim())
          .filter(Boolean)
          .slice(0, 2)
          .map((v) => (v.length > 40 ? `${v.slice(0, 40)}…` : v)),
      );
      return { ...row, examples };
    },

    async saveMapping(id: number, form: Record<string, unknown>) {
      const row = await draft(id);
      if (!row) return { ok: false as const, missing: true as const };
      const checked = checkMapping(row.header, form);
      if (!checked.ok) return { ...checked, missing: false as const };
      await db.update(contributorImports).set({ mapping: checked.value }).where(eq(contributorImports.id, id));
      return { ok: true as const };
    },

    // Step 3: queued in one transaction with its job, so it runs if and only if it was confirmed.
    async confirm(id: number, staffUserId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ header: contributorImports.header, mapping: contributorImports.mapping })
          .from(contributorImports)
          .where(and(eq(contributorImports.id, id), eq(contributorImports.status, 'draft')))
          .for('update');
        if (!row || !checkMapping(row.header, mappingForm(row.mapping)).ok) return false;
        await tx.update(contributorImports).set({ status: 'queued', staffUserId }).where(eq(contributorImports.id, id));
        await jobs.enqueue(id, tx);
        return true;
      });
    },

    // The job row without the file (the progress and report pages).
    async get(id: number) {
      const job = await jobs.get(id);
      if (!job) return undefined;
      const [extra] = await db
        .select({ header: contributorImports.header, mapping: contributorImports.mapping })
        .from(contributorImports)
        .where(eq(contributorImports.id, id));
      return { ...job, ...extra! };
    },

    recent: () =>
      db
        .select({
          id: contributorImports.id,
          filename: contributorImports.filename,
          status: contributorImports.status,
          createdAt: contributorImports.createdAt,
          totalRows: contributorImports.totalRows,
          importedCount: contributorImports.importedCount,
          rejectedCount: contributorImports.rejectedCount,
        })
        .from(contributorImports)
        .where(ne(contributorImports.status, 'draft'))
        .orderBy(desc(contributorImports.id))
        .limit(10),

    async startWorker() {
      await jobs.startWorker();
      await jobs.sweep();
    },
  };
}
export type RegisterImports = ReturnType<typeof createRegisterImports>;
export type ColumnMapping = ColumnChoice[];
