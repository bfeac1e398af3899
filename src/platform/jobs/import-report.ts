import type { ImportJobRow } from './import-table.ts';

// What an import's progress page and report show.
export type Progress = { percent: number; processed: number; total: number; running: boolean };
export function progressOf(job: Pick<ImportJobRow, 'status' | 'processedRows' | 'totalRows'>): Progress {
  const total = job.totalRows;
  const processed = Math.min(job.processedRows, total);
  return {
    processed,
    total,
    percent: total ? Math.floor((processed / total) * 100) : 100,
    running: job.status === 'queued' || job.status === 'running',
  };
}

// What the progress partial (src/views/partials/import-progress.njk) needs. The file itself is
// never sent back to the page.
export function importView(job: ImportJobRow, downloadHref: string, shown = 500) {
  const progress = progressOf(job);
  const n = (x: number) => x.toLocaleString('en-GB');
  const { fileContent: _file, ...safe } = job;
  return {
    job: safe,
    progress,
    figures: { total: n(job.totalRows), processed: n(progress.processed), imported: n(job.importedCount), rejected: n(job.rejectedCount) },
    downloadHref,
    shownRejections: job.rejected.slice(0, shown),
  };
}
