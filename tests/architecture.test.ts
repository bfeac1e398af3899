import { readFileSync } from 'node:fs';
import { filesUnder } from '#tests/helpers/files.ts';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import { PgTable as PgTableClass } from 'drizzle-orm/pg-core';
import { platformModules } from '#src/platform/index.ts';
import { features } from '#src/features/index.ts';

// The shape of the house (docs/architecture.md), checked so it stays true as features are added.
// ESLint checks the direction of imports; this checks what a lint rule cannot.

const root = resolve(import.meta.dirname, '..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const isTs = (p: string) => p.endsWith('.ts') && !p.endsWith('.d.ts');
const sourceFiles = filesUnder(join(root, 'src'), (p) => isTs(p) && !p.endsWith('.test.ts'));
const allTs = ['src', 'scripts', 'tests'].flatMap((d) => filesUnder(join(root, d), isTs));
const rel = (p: string) => relative(root, p);

// Every module a file imports (static imports and re-exports, types included), as file paths.
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/g)) {
    const spec = m[1]!;
    if (spec.startsWith('#src/')) out.push(join(root, 'src', spec.slice(5)));
    else if (spec.startsWith('.')) out.push(resolve(file, '..', spec));
  }
  return out;
}

// Strongly connected components of the import graph (Tarjan): any with more than one file is a loop.
function importLoops(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => graph0.has(t))]));
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const loops: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) loops.push(component.map(rel).sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return loops;
}
const graph0 = new Set(sourceFiles);

// Lines of each function not counting the functions written inside it, so a factory that returns
// an object of methods is measured by its own lines and each method by its own.
function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const span = (n: ts.Node) => lineOf(n.getEnd()) - lineOf(n.getStart(source)) + 1;
  const isFunction = (n: ts.Node) => ts.isFunctionLike(n) && 'body' in n && !!n.body;
  const found: string[] = [];
  const nestedLines = (n: ts.Node): number => {
    let total = 0;
    n.forEachChild((child) => {
      total += isFunction(child) ? span(child) : nestedLines(child);
    });
    return total;
  };
  const walk = (n: ts.Node) => {
    if (isFunction(n)) {
      const body = (n as ts.FunctionLikeDeclaration).body!;
      const own = span(n) - nestedLines(body);
      if (own > MAX_FUNCTION_LINES) {
        const name = (n as ts.FunctionLikeDeclaration).name?.getText(source) ?? '(anonymous)';
        found.push(`${rel(file)}:${lineOf(n.getStart(source)) + 1} ${name}: ${own} lines`);
      }
    }
    n.forEachChild(walk);
  };
  walk(source);
  return found;
}

// Every table defined in a tables.ts (or *-tables.ts) of the platform or a feature.
async function allTables(): Promise<PgTable[]> {
  const files = filesUnder(join(root, 'src'), (p) => /(^|[/-])tables\.ts$/.test(p));
  const tables: PgTable[] = [];
  for (const file of files) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(module)) if (is(value, PgTableClass)) tables.push(value);
  }
  return tables;
}

// Libraries the server loads only when first used (ADR 10, "loaded when first used"), and the one
// file each may be imported by: better-auth when a sign-in or session cookie comes, Nodemailer with
// the first email over SMTP, ioredis only with REDIS_URL, PGlite only without DATABASE_URL (and a
// server on PostgreSQL never). A static import anywhere else would load it at start for every
// instance again. Type-only imports load nothing.
const loadedWhenUsed: Record<string, string[]> = {
  'better-auth': ['src/platform/identity/better-auth-instance.ts', 'src/platform/identity/account-status.ts'],
  '@better-auth/passkey': ['src/platform/identity/better-auth-instance.ts'],
  '@simplewebauthn/server': [],
  nodemailer: [],
  ioredis: [],
  './better-auth-instance.ts': [],
  '@electric-sql/pglite': ['src/db/pglite.ts'],
  'drizzle-orm/pglite': ['src/db/pglite.ts'],
  './pglite.ts': [],
};
function startUpImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'/g)) {
    found.push(m[1] ?? m[2]!);
  }
  return found;
}

describe('the shape of the code base', () => {
  it('loads the libraries kept for later only where they are used (ADR 10)', () => {
    const wrong = sourceFiles.flatMap((file) =>
      startUpImports(file)
        .map((spec) => Object.keys(loadedWhenUsed).find((lib) => spec === lib || spec.startsWith(`${lib}/`)))
        .filter((lib): lib is string => !!lib && !loadedWhenUsed[lib]!.includes(rel(file)))
        .map((lib) => `${rel(file)} imports ${lib}`),
    );
    expect(wrong).toEqual([]);
  });

  it('has no import loops in src', () => {
    expect(importLoops(sourceFiles)).toEqual([]);
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const long = allTs.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines of its own in src`, () => {
    expect(sourceFiles.flatMap(longFunctions)).toEqual([]);
  });

  it('declares every table naming a person (an account id or an email address) in some personalData', async () => {
    const declared = new Set(
      [...platformModules, ...features].flatMap((f) => f.personalData?.tables ?? []).map((t) => getTableConfig(t).name),
    );
    const namesPerson = (table: PgTable) => {
      const config = getTableConfig(table);
      const referencesUser = config.foreignKeys.some((fk) => getTableConfig(fk.reference().foreignTable).name === 'user');
      return config.name === 'user' || referencesUser || config.columns.some((c) => /(^|_)(user_id|email|to_address)$|email/.test(c.name));
    };
    const tables = await allTables();
    expect(tables.length).toBeGreaterThan(20);
    const missing = tables
      .filter(namesPerson)
      .map((t) => getTableConfig(t).name)
      .filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
  });
});
