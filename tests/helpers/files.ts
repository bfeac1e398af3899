import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every file under `dir` (at any depth) that `keep` accepts: the checks of the code base walk with it.
export function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}
