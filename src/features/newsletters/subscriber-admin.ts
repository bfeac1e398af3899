import type { Db } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { csvRow } from '#src/lib/csv.ts';
import { createSubscriberImports } from './import.ts';
import { createSubscribersRepository, type SubscriberFilter } from './subscribers-repository.ts';

// Kept under its old name: dates in an import are read the same way everywhere.
export { parseImportDate as parseConsentDate } from '#src/platform/jobs/import-rows.ts';

export function createSubscriberAdmin(db: Db, deps: { queue: Queue; log: Log }) {
  const repo = createSubscribersRepository(db);
  const imports = createSubscriberImports(db, deps);

  return {
    search: (opts: SubscriberFilter & { page: number; perPage: number }) =>
      repo.search({ q: opts.q, status: opts.status }, { limit: opts.perPage, offset: (opts.page - 1) * opts.perPage }),

    counts: (): Promise<Record<string, number>> => repo.countsByStatus(),

    get: (id: number) => repo.listed(id),

    // The whole list as CSV, read in pages so a large list never sits in memory at once.
    async *exportCsv(opts: SubscriberFilter): AsyncGenerator<string> {
      yield csvRow(['email', 'name', 'status', 'topics', 'consented_at', 'source']);
      let cursor = 0;
      for (;;) {
        const rows = await repo.listedAfter({ q: opts.q, status: opts.status }, cursor, 2000);
        if (!rows.length) return;
        let chunk = '';
        for (const r of rows)
          chunk += csvRow([r.email, r.name, r.status, r.topics, r.consentedAt ? r.consentedAt.toISOString() : '', r.source]);
        yield chunk;
        cursor = rows[rows.length - 1]!.id;
      }
    },

    // People who consented elsewhere (a paper form, an event): the file is checked for its columns
    // now and imported by a background job (import.ts), which reports what became of every row.
    startImport: (text: string, opts: { filename: string; staffUserId: string | null }) => imports.start(text, opts),
    // The same, run to the end before returning (scripts and tests).
    importCsv: (text: string, opts: { filename: string; staffUserId: string | null }) => imports.importNow(text, opts),
    runImport: (id: number, opts?: { maxChunks?: number }) => imports.jobs.run(id, opts),
    startImportWorker: async () => {
      await imports.jobs.startWorker();
      await imports.jobs.sweep();
    },

    importReport: (id: number) => imports.jobs.get(id),

    recentImports: () => imports.recent(10),
  };
}
export type SubscriberAdmin = ReturnType<typeof createSubscriberAdmin>;
