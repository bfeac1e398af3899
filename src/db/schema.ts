// Every table, for Drizzle's relational queries and for drizzle-kit to generate migrations from.
export * from '../features/auth/tables.ts';
export * from '../features/site/tables.ts';
export * from '../features/stories/tables.ts';
export * from '../features/comments/tables.ts';
export * from '../features/mail/tables.ts';
export * from '../features/newsletters/tables.ts';
export * from '../features/audit/tables.ts';
export * from '../features/contributors/tables.ts';
export * from '../features/contributors/import-tables.ts';
export * from '../features/organisations/tables.ts';
