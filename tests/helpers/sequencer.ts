import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order test files are handed to the workers (ADR 14, "the longest files first"). Vitest calls
// this once for each group of projects (vitest.config.ts: the servers group, then the rest).
//
// Vitest's own order runs one project after another, each file that has a timing from an earlier
// run on this machine longest first, and a file without one largest first. A fresh clone (CI) has
// no timings, so the route-access fuzz files, three lines each and about 30 s each, came last,
// with one worker busy and the others idle until they ended.
//
// The servers group (files that start real servers under load, one at a time) goes in the order
// below: first the two-instance test, the most sensitive to a busy machine, while the checks beside
// it yield. In every other group, project by project, the files known to take longest go first,
// then the rest in Vitest's order; a worker changes project at most a few times, each change
// costing a new worker process.
const serversOrder = [
  'scale:tests/scale/two-instances.test.ts',
  'servers-postgres:tests/integration/sigterm-drain.test.ts',
  'servers-postgres:tests/integration/kill-under-load.test.ts',
  'scale:tests/scale/postgres-restart.test.ts',
  'servers-pglite:tests/integration/kill-under-load.test.ts',
  'servers-pglite:tests/integration/sigterm-drain.test.ts',
];
const longest = ['tests/integration/route-access/', 'src/features/accounts/sign-in-methods.test.ts'];

const pathOf = (spec: TestSpecification) => spec.moduleId.replaceAll('\\', '/');
const serversRank = (spec: TestSpecification) =>
  serversOrder.findIndex((entry) => {
    const [project, file] = entry.split(':') as [string, string];
    return spec.project.name === project && pathOf(spec).endsWith(`/${file}`);
  });
const knownLong = (spec: TestSpecification) => longest.some((known) => pathOf(spec).includes(`/${known}`));

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const projects = [...new Set(ordered.map((spec) => spec.project.name))];
    const key = (spec: TestSpecification, i: number) => {
      const rank = serversRank(spec);
      if (rank >= 0) return [0, rank, i];
      return [1 + projects.indexOf(spec.project.name), knownLong(spec) ? 0 : 1, i];
    };
    return ordered
      .map((spec, i) => ({ spec, key: key(spec, i) }))
      .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!)
      .map(({ spec }) => spec);
  }
}
