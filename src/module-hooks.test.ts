import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// Loads the whole app in a child process with the hook in place, and for every resolution the hook
// answers itself, asks Node's own resolver too: the answers must be the same, and the hook must
// answer the hundreds of Drizzle resolutions it is there for.
const child = `
import { enableCompileCache, registerHooks } from 'node:module';
// As the server does (src/server.js): what is compiled is kept for the next start.
enableCompileCache();
import { drizzleResolve } from './src/module-hooks.ts';
let own = 0;
const differ = [];
registerHooks({
  resolve(specifier, context, next) {
    let passed = false;
    const answer = drizzleResolve(specifier, context, (s, c) => ((passed = true), next(s, c)));
    if (!passed) {
      own++;
      const node = next(specifier, context);
      if (node.url !== answer.url || (node.format ?? null) !== (answer.format ?? null))
        differ.push({ specifier, parent: context.parentURL, node: [node.url, node.format], hook: [answer.url, answer.format] });
    }
    return answer;
  },
});
await import('./src/app.ts');
console.log(JSON.stringify({ own, differ }));
`;

describe('the module resolution hook', () => {
  it("answers Drizzle's resolutions as Node does, without asking it", () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const { own, differ } = JSON.parse(out.trim().split('\n').at(-1)!) as { own: number; differ: unknown[] };
    expect(differ).toEqual([]);
    expect(own).toBeGreaterThan(500);
  });
});
