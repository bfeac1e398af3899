import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order test files are handed to the workers (ADR 14, "the longest files first").
//
// Vitest's own order runs one project after another (pglite, postgres, scale), each file that has
// a timing from an earlier run on this machine longest first, and a file without one largest
// first. A fresh clone (CI) has no timings, so the route-access fuzz files, three lines each
// and about 30 s each, came last; and the scale project, two real servers per test, came after
// everything else, leaving one worker busy and the others idle for its last 30–45 s.
//
// Here the scale project's files go first (their time is mostly spent waiting on the servers they
// start, beside the other workers' files), then, within each project, the files known to take
// longest, then the rest in Vitest's order. A worker changes project at most a few times, each
// change costing a new worker process.
const longest = [
  'tests/integration/route-access/',
  'tests/integration/kill-under-load.test.ts',
  'tests/integration/sigterm-drain.test.ts',
  'src/features/accounts/sign-in-methods.test.ts',
];

const knownLong = (spec: TestSpecification) => {
  const path = spec.moduleId.replaceAll('\\', '/');
  return longest.some((known) => path.includes(`/${known}`));
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const projects = [...new Set(ordered.map((spec) => spec.project.name))];
    const place = (name: string) => (name === 'scale' ? -1 : projects.indexOf(name));
    // Project by project (scale first), the known longest files first, otherwise Vitest's order.
    return ordered
      .map((spec, i) => ({ spec, key: [place(spec.project.name), knownLong(spec) ? 0 : 1, i] }))
      .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!)
      .map(({ spec }) => spec);
  }
}
