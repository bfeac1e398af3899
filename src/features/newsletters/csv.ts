// Moved to src/lib/csv.ts (shared by every CSV import and export); kept so existing imports work.
export { csvRow, parseCsv } from '#src/lib/csv.ts';
