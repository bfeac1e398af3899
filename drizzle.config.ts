import { defineConfig } from 'drizzle-kit';

// Every table lives in a platform module's or a feature's own `tables.ts` (or `*-tables.ts`):
// drizzle-kit finds them all, so a new feature needs no entry in a central list.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/*/tables.ts', './src/platform/*/*-tables.ts', './src/features/*/tables.ts', './src/features/*/*-tables.ts'],
  out: './migrations',
});
