import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { measureKeys } from './evidence-measures.ts';
import { standardFrameworks, standards } from './tables.ts';

// The frameworks we ship are data (frameworks/*.json), not code: each file is one framework with
// its standards, reflective questions in our own words, the measures that bear on each standard,
// and Welsh versions. They are inserted only when no framework with that key exists, so an
// admin's edits, and a framework they archived, are never overwritten.

const text = z.string().min(1);
const StandardFile = z.object({
  key: text,
  name: text,
  summary: text,
  questions: z.array(text).min(1).max(10),
  measures: z.array(z.enum(measureKeys)),
  translations: z.record(z.string(), z.object({ name: text, summary: text, questions: z.array(text) })).default({}),
});
const FrameworkFile = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: text,
  edition: text,
  publisher: text,
  sourceUrl: z.url(),
  description: text,
  translations: z.record(z.string(), z.object({ name: text, description: text })).default({}),
  standards: z.array(StandardFile).min(1),
});
export type FrameworkFile = z.infer<typeof FrameworkFile>;

const folder = new URL('./frameworks/', import.meta.url);

export function frameworkFiles(): FrameworkFile[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => FrameworkFile.parse(JSON.parse(readFileSync(new URL(f, folder), 'utf8'))));
}

// Inserts one framework and its standards unless its key is taken (by an earlier start, or by an
// admin). Safe when two instances start at once: the key is unique and a clash inserts nothing.
export async function insertFrameworkIfMissing(runner: Db | Tx, file: FrameworkFile): Promise<boolean> {
  return runner.transaction(async (tx) => {
    const [row] = await tx
      .insert(standardFrameworks)
      .values({
        key: file.key,
        name: file.name,
        edition: file.edition,
        publisher: file.publisher,
        sourceUrl: file.sourceUrl,
        descriptionMarkdown: file.description,
        descriptionHtml: renderMarkdown(file.description),
        translations: Object.fromEntries(
          Object.entries(file.translations).map(([lang, v]) => [
            lang,
            { name: v.name, description: v.description, descriptionHtml: renderMarkdown(v.description) },
          ]),
        ),
      })
      .onConflictDoNothing({ target: standardFrameworks.key })
      .returning({ id: standardFrameworks.id });
    if (!row) return false;
    await tx.insert(standards).values(
      file.standards.map((s, position) => ({
        frameworkId: row.id,
        key: s.key,
        name: s.name,
        summary: s.summary,
        questions: s.questions,
        measures: s.measures,
        position,
        translations: Object.fromEntries(
          Object.entries(s.translations).map(([lang, v]) => [
            lang,
            { name: v.name, summary: v.summary, questions: v.questions.join('\n') },
          ]),
        ),
      })),
    );
    return true;
  });
}

export async function ensureFrameworks(runner: Db | Tx): Promise<void> {
  for (const file of frameworkFiles()) await insertFrameworkIfMissing(runner, file);
}
