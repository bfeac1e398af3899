import type { Commentable, CommentTarget, FeatureContext } from '#src/platform/feature.ts';
import type { TargetRef } from './repository.ts';

const KEY = /^[A-Za-z0-9_-]{1,200}$/;

// The pages comments can be on, as the features that own them registered them (their manifests'
// `commentable`). Comments never read those features' tables: they ask through here.
export function createTargets(ctx: FeatureContext) {
  const registry = ctx.extensions.commentables;
  const targets = {
    all: (): Commentable[] => [...registry.values()],

    // The page as readers may see it, or null (unknown kind, no such page, or not published).
    async find(ref: TargetRef): Promise<CommentTarget | null> {
      return (await registry.get(ref.type)?.findById(ctx, ref.id)) ?? null;
    },

    async findMany(refs: TargetRef[]): Promise<Map<string, CommentTarget | null>> {
      const unique = [...new Map(refs.map((r) => [keyOf(r), r])).values()];
      const found = await Promise.all(unique.map((r) => targets.find(r)));
      return new Map(unique.map((r, i) => [keyOf(r), found[i] ?? null]));
    },

    // A page's address from its kind and key, as given in a query string (only a safe key).
    pathFor(type: string, key: unknown): string | null {
      const commentable = registry.get(type);
      if (!commentable || typeof key !== 'string' || !KEY.test(key)) return null;
      return commentable.path.replace(/:\w+/, key);
    },
  };
  return targets;
}
export type Targets = ReturnType<typeof createTargets>;

export const keyOf = (ref: TargetRef) => `${ref.type}:${ref.id}`;
export const refOf = (target: TargetRef): TargetRef => ({ type: target.type, id: target.id });
