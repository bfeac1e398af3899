import { jsonb, text } from 'drizzle-orm/pg-core';
import type { Translations } from '#src/lib/localised.ts';

// Content people write in more than one language (docs/architecture.md, "Languages"): the English
// stays in the row's own columns; each other language's version of those fields is kept here,
// { cy: { title: '…', summary: '…' } }, so a new language needs no migration.
export const translationsColumn = () => jsonb('translations').$type<Translations>().notNull().default({});

// The language a person chose (for the emails we send them later); 'en' unless they chose another.
export const languageColumn = () => text('language').notNull().default('en');
