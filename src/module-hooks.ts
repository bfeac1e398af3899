import { registerHooks, type ResolveHookContext, type ResolveFnOutput } from 'node:module';

// A shorter way through Node's module resolution for Drizzle, the ORM every feature imports.
//
// Each time Node resolves an ES module file it looks up the package.json that governs it, and it
// copies that package's fields, which makes it parse the package's whole `exports` map again
// (node:internal/modules/package_json_reader, `getPackageScopeConfig`). Drizzle's map is 130 KB of
// JSON, and starting the server resolves about 520 Drizzle files and 230 imports of Drizzle from
// our own: about 100 MB of JSON parsed and thrown away, 15–25% of the start-up CPU with the
// garbage collection it causes (ADR 10, "Later"). The resolutions themselves are simple:
// - a relative import inside Drizzle's package (one package.json, `"type": "module"`, explicit
//   `.js` extensions) is its URL joined to the importer's, and an ES module;
// - `drizzle-orm` or `drizzle-orm/<subpath>` imported from our own code resolves to the same file
//   from every importer (one node_modules), so the first answer is kept.
// Anything else goes to Node unchanged. `src/module-hooks.test.ts` checks the answers are Node's.

const DRIZZLE = '/node_modules/drizzle-orm/';

export type Resolve = (specifier: string, context: ResolveHookContext) => ResolveFnOutput;

export function drizzleResolve(specifier: string, context: ResolveHookContext, next: Resolve): ResolveFnOutput {
  const parent = context.parentURL;
  if (!parent?.startsWith('file://')) return next(specifier, context);
  const at = parent.indexOf(DRIZZLE);
  if (at >= 0 && (specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js')) {
    const url = new URL(specifier, parent).href;
    // Only while the file stays inside the package (its package.json says ES modules).
    if (url.startsWith(parent.slice(0, at + DRIZZLE.length)) && !url.includes('/node_modules/', at + DRIZZLE.length))
      return { url, format: 'module', shortCircuit: true };
    return next(specifier, context);
  }
  if (at < 0 && !parent.includes('/node_modules/') && (specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/'))) {
    const key = `${specifier} ${context.conditions.join(',')} ${context.importAttributes.type ?? ''}`;
    const known = fromOurCode.get(key);
    if (known) return known;
    const answer = next(specifier, context);
    fromOurCode.set(key, { url: answer.url, format: answer.format, shortCircuit: true });
    return answer;
  }
  return next(specifier, context);
}
const fromOurCode = new Map<string, ResolveFnOutput>();

let registered = false;
export function registerModuleHooks() {
  if (registered) return;
  registerHooks({ resolve: drizzleResolve });
  registered = true;
}
