import { and, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { commitmentHistory, commitments, commitmentStatuses } from './tables.ts';

// How a parent's progress follows its children, and the family rules that keep the tree a tree.
// Every function runs in the caller's transaction: a change and the roll-up it causes commit
// together or not at all.

type Runner = Db | Tx;
type Child = { progress: number; weight: number };

// The roll-up of children's progress: the plain average, or weighted by each child's weight.
// Null when there is nothing to roll up (no children, or every child dropped).
export function rollupOf(children: Child[], kind: 'average' | 'weighted'): number | null {
  if (children.length === 0) return null;
  if (kind === 'average') return Math.round(children.reduce((s, c) => s + c.progress, 0) / children.length);
  const total = children.reduce((s, c) => s + c.weight, 0);
  return Math.round(children.reduce((s, c) => s + c.progress * c.weight, 0) / total);
}

// Ids from a commitment's parent up to the top of its tree. Stops at a loop rather than spinning
// (the rules below never let one be made).
export async function ancestorIds(tx: Runner, id: number): Promise<number[]> {
  const seen: number[] = [];
  let current: number | null = id;
  while (current !== null) {
    const [row]: { parentId: number | null }[] = await tx
      .select({ parentId: commitments.parentId })
      .from(commitments)
      .where(eq(commitments.id, current));
    current = row?.parentId ?? null;
    if (current === null || seen.includes(current)) break;
    seen.push(current);
  }
  return seen;
}

// Whether making `parentId` the parent of `id` would make a commitment its own ancestor.
export async function wouldMakeLoop(tx: Runner, id: number, parentId: number): Promise<boolean> {
  if (id === parentId) return true;
  return (await ancestorIds(tx, parentId)).includes(id);
}

export async function hasChildren(tx: Runner, id: number): Promise<boolean> {
  const [row] = await tx.select({ id: commitments.id }).from(commitments).where(eq(commitments.parentId, id)).limit(1);
  return Boolean(row);
}

// The children that count in a parent's roll-up: every child but the dropped ones.
export async function countedChildren(tx: Runner, parentId: number): Promise<Child[]> {
  return tx
    .select({ progress: commitments.progress, weight: commitments.weight })
    .from(commitments)
    .innerJoin(commitmentStatuses, eq(commitmentStatuses.id, commitments.statusId))
    .where(and(eq(commitments.parentId, parentId), ne(commitmentStatuses.category, 'dropped')));
}

// Recomputes a parent's progress from its children, then its parent's, up to the top. Each
// change is kept as history (cause "rollup"). A parent with no counted children keeps its figure.
export async function rollUpFrom(tx: Runner, parentId: number | null, at = new Date()): Promise<void> {
  const visited = new Set<number>();
  let current = parentId;
  while (current !== null && !visited.has(current)) {
    visited.add(current);
    const [parent] = await tx
      .select({
        progress: commitments.progress,
        rollup: commitments.rollup,
        parentId: commitments.parentId,
        statusId: commitments.statusId,
      })
      .from(commitments)
      .where(eq(commitments.id, current))
      // Two children changing at once queue here, so the second reads the first's change.
      .for('update');
    if (!parent) return;
    const figure = rollupOf(await countedChildren(tx, current), parent.rollup);
    if (figure !== null && figure !== parent.progress) {
      await tx.update(commitments).set({ progress: figure, updatedAt: at }).where(eq(commitments.id, current));
      await tx.insert(commitmentHistory).values({
        commitmentId: current,
        cause: 'rollup',
        fromStatusId: parent.statusId,
        toStatusId: parent.statusId,
        fromProgress: parent.progress,
        toProgress: figure,
        at,
      });
    }
    current = parent.parentId;
  }
}
