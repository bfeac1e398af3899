// Every table, for Drizzle's relational queries and for drizzle-kit to generate migrations from.
export * from '../features/auth/tables.ts';
export * from '../features/site/tables.ts';
export * from '../features/stories/tables.ts';
export * from '../features/comments/tables.ts';
