import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { freeSlug } from '#src/db/slugs.ts';
import { commitmentHistory, commitments, commitmentStatuses } from './tables.ts';

// What the other areas of this feature need of commitments, in one place: the list to link an
// entry or an action to, titles and addresses by id, and making a commitment from an action.

export type CommitmentOption = { id: number; title: string; path: string; published: boolean };

export const commitmentPath = (slug: string) => `/commitments/${slug}`;

export async function commitmentOptions(db: Db | Tx): Promise<CommitmentOption[]> {
  const rows = await db
    .select({ id: commitments.id, title: commitments.title, slug: commitments.slug, publishedAt: commitments.publishedAt })
    .from(commitments)
    .orderBy(asc(commitments.title));
  return rows.map((r) => ({ id: r.id, title: r.title, path: commitmentPath(r.slug), published: r.publishedAt !== null }));
}

// Published commitments only, by id: for public pages that link to them.
export async function publishedCommitmentsById(db: Db | Tx, ids: number[]): Promise<Map<number, CommitmentOption>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: commitments.id, title: commitments.title, slug: commitments.slug })
    .from(commitments)
    .where(and(inArray(commitments.id, ids), isNotNull(commitments.publishedAt)));
  return new Map(rows.map((r) => [r.id, { id: r.id, title: r.title, path: commitmentPath(r.slug), published: true }]));
}

// A slug no other commitment has: the title's, then -2, -3 …
export const freeCommitmentSlug = (db: Db | Tx, title: string): Promise<string> =>
  freeSlug(db, commitments, commitments.slug, title, 'commitment');

// A draft commitment made from an assessment's action to improve, in the caller's transaction:
// staff then fill it in and publish it. Starts in the first status (by position) that counts as
// not started.
export async function insertDraftCommitment(
  tx: Db | Tx,
  values: { title: string; promiseMarkdown: string; dueOn: string | null; tags: string[]; createdBy: string },
): Promise<{ id: number; slug: string }> {
  const [status] = await tx
    .select({ id: commitmentStatuses.id, progress: commitmentStatuses.defaultProgress })
    .from(commitmentStatuses)
    .where(eq(commitmentStatuses.category, 'not-started'))
    .orderBy(asc(commitmentStatuses.position))
    .limit(1);
  if (!status) throw new Error('No "not started" commitment status is defined');
  const slug = await freeCommitmentSlug(tx, values.title);
  const [row] = await tx
    .insert(commitments)
    .values({
      slug,
      title: values.title,
      promiseMarkdown: values.promiseMarkdown,
      promiseHtml: renderMarkdown(values.promiseMarkdown),
      dueOn: values.dueOn,
      statusId: status.id,
      progress: status.progress ?? 0,
      tags: values.tags,
      createdBy: values.createdBy,
    })
    .returning({ id: commitments.id, slug: commitments.slug });
  await tx.insert(commitmentHistory).values({
    commitmentId: row!.id,
    cause: 'created',
    toStatusId: status.id,
    toProgress: status.progress ?? 0,
    changedBy: values.createdBy,
  });
  return row!;
}
