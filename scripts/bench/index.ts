import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { benchStoryPage, type StoryPageResult } from './story-page.ts';
import { benchCommentSubmission, type CommentSubmissionResult, type SubmissionRun } from './comment-submission.ts';
import { benchNewsletter, newsletterRows, type NewsletterBenchResult } from './newsletter.ts';
import { benchRegisterImport, registerImportRows, type RegisterImportBenchResult } from './register-import.ts';
import { benchPeopleSearch, peopleRows } from './people-search.ts';
import { benchOpportunities, opportunitiesRows } from './opportunities.ts';
import { benchMatching, matchingRows } from './matching.ts';
import { benchCalendar, calendarRows } from './calendar.ts';
import { benchMeetings, meetingsRows } from './meetings.ts';
import { benchFinance, financeRows } from './finance.ts';
import { cleanupAll, installExitHandlers } from './lib/children.ts';
import { watchMachine } from './lib/machine.ts';
import { budgetRow, errorRow, fmt, infoRow, printTable, skippedRow, writeResults, type Row } from './lib/report.ts';

// `npm run bench`: the engineering guide's budgets measured in one bounded run (~1.5 minutes),
// loopback only. Benchmarks are not tests: figures are printed against their budgets and written to
// bench/results/, and the exit code says only whether the bench itself ran.
//
// BENCH_ONLY=page, comments, newsletter, people, opportunities, matching, calendar, meetings or import runs one part; BENCH_CPU_PROF=<dir> profiles the app
// servers; BENCH_DATABASE_URL (else TEST_DATABASE_URL, DATABASE_URL, the local test server) is the
// PostgreSQL server on which a scratch database is created and dropped.
const root = fileURLToPath(new URL('../../', import.meta.url));
const settings = {
  storyPage: { commentCount: 200, connections: 50, warmupSec: 2, durationSec: 10, renders: 300, renderWarmup: 100 },
  commentSubmission: { submissions: 5000, connections: 50, visitors: 250 },
};
// Issue 10's budgets. The page runs on PGlite, then on PostgreSQL, each with its own memory and start budgets.
const budgets = {
  pageRatio: 0.5,
  nginxRatio: 0.6,
  p99Ms: 50,
  uncachedRenderMs: 8,
  uncachedRenderP95Ms: 15,
  translationMs: 0.5,
  rssMb: 350,
  hwmMb: 400,
  startMs: 2000,
  postgresRssMb: 250,
  postgresStartMs: 1500,
  commentsPerSec: 1000,
};

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  installExitHandlers();
  const began = performance.now();
  // Other work on the machine takes CPU from the servers under test: say so before and after
  // (the CPU other processes used during each part is in the table).
  const loadBefore = loadavg()[0]!;
  if (loadBefore > 0.5) {
    log(`WARNING: the machine is already busy (load average ${loadBefore.toFixed(2)} on ${cpus().length} cores); figures will be low`);
  }
  const rows: Row[] = [];

  const only = process.env.BENCH_ONLY;
  const pageWatch = watchMachine();
  const page = only && only !== 'page' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('story page', runStoryPage);
  const pageCpu = pageWatch.stop();
  rows.push(...storyPageRows(page));
  const commentWatch = watchMachine();
  const comments: CommentSubmissionResult | { skipped: string } | { error: string } =
    only && only !== 'comments' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('comment submission', runCommentSubmission);
  const commentCpu = commentWatch.stop();
  rows.push(...commentRows(comments));
  const newsletterWatch = watchMachine();
  const newsletter: NewsletterBenchResult | { error: string } =
    only && only !== 'newsletter' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('newsletter', runNewsletter);
  const newsletterCpu = newsletterWatch.stop();
  rows.push(...('error' in newsletter ? [errorRow('newsletter to 100,000 recipients', newsletter.error)] : newsletterRows(newsletter)));
  const peopleWatch = watchMachine();
  const people = only && only !== 'people' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('people search', runPeopleSearch);
  const peopleCpu = peopleWatch.stop();
  rows.push(...('error' in people ? [errorRow('contributor search, 100,000 profiles', people.error)] : peopleRows(people)));
  const opportunitiesWatch = watchMachine();
  const opps = only && only !== 'opportunities' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('opportunities', runOpportunities);
  const opportunitiesCpu = opportunitiesWatch.stop();
  rows.push(...('error' in opps ? [errorRow('opportunities listing and applications page', opps.error)] : opportunitiesRows(opps)));
  const matchingWatch = watchMachine();
  const matching = only && only !== 'matching' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('matching', runMatching);
  const matchingCpu = matchingWatch.stop();
  rows.push(...('error' in matching ? [errorRow('matching suggestions over 100,000 profiles', matching.error)] : matchingRows(matching)));
  const calendarWatch = watchMachine();
  const calendar = only && only !== 'calendar' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('calendar', runCalendar);
  const calendarCpu = calendarWatch.stop();
  rows.push(...('error' in calendar ? [errorRow('personal calendar feed, 500 meetings', calendar.error)] : calendarRows(calendar)));
  const meetingsWatch = watchMachine();
  const meetingsPart = only && only !== 'meetings' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('meetings', runMeetings);
  const meetingsCpu = meetingsWatch.stop();
  rows.push(...('error' in meetingsPart ? [errorRow('meeting registration', meetingsPart.error)] : meetingsRows(meetingsPart)));
  if (!only || only === 'finance') rows.push(...financeRows(await attempt('finance', () => benchFinance({ log }))));
  const importWatch = watchMachine();
  const registerImport: RegisterImportBenchResult | { error: string } =
    only && only !== 'import' ? { skipped: `BENCH_ONLY=${only}` } : await attempt('register import', runRegisterImport);
  const importCpu = importWatch.stop();
  rows.push(...registerImportRows(registerImport));
  if (!('skipped' in page)) rows.push(infoRow('CPU used by other processes, page part', share(pageCpu)));
  if (!('skipped' in comments)) rows.push(infoRow('CPU used by other processes, comment part (incl. PostgreSQL)', share(commentCpu)));
  if (!('skipped' in newsletter)) rows.push(infoRow('CPU used by other processes, newsletter part', share(newsletterCpu)));
  if (!('skipped' in registerImport))
    rows.push(infoRow('CPU used by other processes, register import part (incl. PostgreSQL)', share(importCpu)));
  if (!('skipped' in people)) rows.push(infoRow('CPU used by other processes, people search part (incl. PostgreSQL)', share(peopleCpu)));
  if (!('skipped' in opps))
    rows.push(infoRow('CPU used by other processes, opportunities part (incl. PostgreSQL)', share(opportunitiesCpu)));
  if (!('skipped' in matching)) rows.push(infoRow('CPU used by other processes, matching part (incl. PostgreSQL)', share(matchingCpu)));
  if (!('skipped' in calendar)) rows.push(infoRow('CPU used by other processes, calendar part (incl. PostgreSQL)', share(calendarCpu)));
  if (!('skipped' in meetingsPart)) rows.push(infoRow('CPU used by other processes, meetings part (incl. PostgreSQL)', share(meetingsCpu)));

  await cleanupAll();
  const load = { before: loadBefore, after: loadavg()[0]! };
  const totalSec = (performance.now() - began) / 1000;
  printTable(rows);
  const failed = rows.filter((r) => r.outcome === 'FAIL').length;
  const skipped = rows.filter((r) => r.outcome === 'skipped').length;
  const errors = rows.filter((r) => r.outcome === 'error').length;
  console.log(`${failed} budget(s) unmet, ${skipped} skipped, ${errors} part(s) could not run; bench took ${totalSec.toFixed(0)} s`);
  if ((pageCpu?.othersShare ?? 0) >= 0.1) {
    console.log('note: other processes took CPU from the bench: figures are lower than on an otherwise idle machine');
  }

  const file = writeResults(join(root, 'bench', 'results'), {
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverage1m: load,
      cpuShare: {
        storyPage: pageCpu,
        commentSubmission: commentCpu,
        newsletter: newsletterCpu,
        registerImport: importCpu,
        peopleSearch: peopleCpu,
        opportunities: opportunitiesCpu,
        matching: matchingCpu,
        calendar: calendarCpu,
        meetings: meetingsCpu,
      },
    },
    git: gitInfo(),
    settings,
    budgets,
    storyPage: page,
    commentSubmission: comments,
    newsletter,
    registerImport,
    peopleSearch: people,
    opportunities: opps,
    matching,
    calendar,
    meetings: meetingsPart,
    table: rows,
    totalSec,
  });
  console.log(`results written to ${file} (and bench/results/latest.json)`);
  // Unmet budgets are figures, not failures; a part that could not run is.
  if (errors) process.exitCode = 1;
}

// A part that cannot run is reported with its reason; the other part still runs.
async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (err) {
    log(`${name} bench could not run: ${(err as Error).stack ?? String(err)}`);
    return { error: firstLine((err as Error).message) };
  }
}

const runStoryPage = () => benchStoryPage({ root, log, ...settings.storyPage });
const runCommentSubmission = () => benchCommentSubmission({ root, log, ...settings.commentSubmission });
const runNewsletter = () => benchNewsletter({ root, log });
const runRegisterImport = () => benchRegisterImport({ log });
const runPeopleSearch = () => benchPeopleSearch({ log });
const runOpportunities = () => benchOpportunities({ root, log });
const runMatching = () => benchMatching({ log });
const runCalendar = () => benchCalendar({ log });
const runMeetings = () => benchMeetings({ log });

function storyPageRows(p: StoryPageResult | { skipped: string } | { error: string }): Row[] {
  if ('skipped' in p) return [skippedRow('story page (200 comments)', p.skipped)];
  if ('error' in p) return [errorRow('story page (200 comments)', p.error)];
  const app = p.app;
  const stat = p.static;
  return [
    infoRow('story page size / comments shown', `${fmt(p.pageBytes / 1024)} KiB / ${p.commentsRendered} of ${p.commentsSeeded}`),
    infoRow('static baseline (same bytes)', `${fmt(stat.requestsPerSec, 0)} req/s, p99 ${fmt(stat.latencyP99Ms, 0)} ms`),
    infoRow(
      'app, anonymous story page',
      `${fmt(app.requestsPerSec, 0)} req/s, p99 ${fmt(app.latencyP99Ms, 0)} ms` +
        (app.non2xx || app.errors ? ` (non-2xx ${app.non2xx}, errors ${app.errors})` : ''),
    ),
    budgetRow('story page throughput, app / static', p.ratio, '×', 'min', budgets.pageRatio, 2),
    ...nginxRows(p),
    budgetRow('app p99 latency under load', app.latencyP99Ms, 'ms', 'max', budgets.p99Ms, 0),
    budgetRow(
      'uncached render after an approval, median (inject, incl. DB)',
      p.render.uncachedMedianMs,
      'ms',
      'max',
      budgets.uncachedRenderMs,
      2,
    ),
    budgetRow('uncached render after an approval, p95', p.render.uncachedP95Ms, 'ms', 'max', budgets.uncachedRenderP95Ms, 2),
    infoRow('DB queries per uncached render', String(p.render.queriesPerUncached)),
    storyEditedRow('', p.render),
    infoRow('uncached render in Welsh, median', `${fmt(p.render.welshUncachedMedianMs, 2)} ms`),
    budgetRow('translation lookups per uncached render', p.render.translationOverheadMs, 'ms', 'max', budgets.translationMs, 2),
    infoRow(
      'cached render, median / p95',
      `${fmt(p.render.cachedMedianMs, 2)} / ${fmt(p.render.cachedP95Ms, 2)} ms (${p.render.queriesPerCached} DB queries each)`,
    ),
    budgetRow('app RSS under load (max of 100 ms samples)', p.memory.maxRssMb, 'MB', 'max', budgets.rssMb, 0),
    budgetRow('app peak RSS since start (VmHWM)', p.memory.peakHwmMb, 'MB', 'max', budgets.hwmMb, 0),
    budgetRow('restart on existing data dir → story page 200', p.startMs, 'ms', 'max', budgets.startMs, 0),
    infoRow('first start after seeding → story page 200', `${fmt(p.firstStartMs, 0)} ms`),
    ...postgresPageRows(p.postgres),
  ];
}

// After an edit of the story itself, the story is read again too (no budget: edits are rare).
const storyEditedRow = (prefix: string, r: StoryPageResult['render']) =>
  infoRow(
    `${prefix}uncached render after a story edit, median / p95`,
    `${fmt(r.storyEditedMedianMs, 2)} / ${fmt(r.storyEditedP95Ms, 2)} ms (${r.queriesPerStoryEdited} DB queries)`,
  );

function postgresPageRows(p: StoryPageResult['postgres']): Row[] {
  if ('skipped' in p) return [skippedRow('story page on PostgreSQL', p.skipped)];
  const load = (f: { requestsPerSec: number; latencyP99Ms: number }) =>
    `${fmt(f.requestsPerSec, 0)} req/s, p99 ${fmt(f.latencyP99Ms, 0)} ms`;
  return [
    infoRow('PostgreSQL: app, anonymous story page (plain / br, gzip)', `${load(p.app)} / ${load(p.appCompressed)}`),
    budgetRow('PostgreSQL: uncached render after an approval, median', p.render.uncachedMedianMs, 'ms', 'max', budgets.uncachedRenderMs, 2),
    budgetRow('PostgreSQL: uncached render after an approval, p95', p.render.uncachedP95Ms, 'ms', 'max', budgets.uncachedRenderP95Ms, 2),
    storyEditedRow('PostgreSQL: ', p.render),
    budgetRow('PostgreSQL: app RSS under load', p.memory.maxRssMb, 'MB', 'max', budgets.postgresRssMb, 0),
    budgetRow('PostgreSQL: app peak RSS since start (VmHWM)', p.memory.peakHwmMb, 'MB', 'max', budgets.hwmMb, 0),
    budgetRow('PostgreSQL: restart → story page 200', p.startMs, 'ms', 'max', budgets.postgresStartMs, 0),
  ];
}

function nginxRows(p: StoryPageResult): Row[] {
  if (!p.nginx) return [skippedRow('story page throughput, app / nginx', 'nginx is not installed (apt-get install nginx-light)')];
  const n = p.nginx;
  const load = (f: { requestsPerSec: number; latencyP99Ms: number }) =>
    `${fmt(f.requestsPerSec, 0)} req/s, p99 ${fmt(f.latencyP99Ms, 0)} ms`;
  return [
    infoRow('nginx, same bytes (plain / gzip_static)', `${load(n.plain)} / ${load(n.compressed)}`),
    infoRow('app with Accept-Encoding: br, gzip', load(n.appCompressed)),
    budgetRow('story page throughput, app / nginx, plain', n.ratio, '×', 'min', budgets.nginxRatio, 2),
    budgetRow('story page throughput, app / nginx, compressed', n.compressedRatio, '×', 'min', budgets.nginxRatio, 2),
  ];
}

function commentRows(c: CommentSubmissionResult | { skipped: string } | { error: string }): Row[] {
  const name = 'comment submissions into moderation';
  if ('error' in c) return [errorRow(name, c.error)];
  if ('skipped' in c) return [skippedRow(name, c.skipped)];
  const rowsOf = (r: SubmissionRun | { skipped: string }, db: string, budget: boolean): Row[] => {
    if ('skipped' in r) return [skippedRow(`${name} (${db})`, r.skipped)];
    return [
      budget
        ? budgetRow(`${name} (${db})`, r.perSec, '/s', 'min', budgets.commentsPerSec, 0)
        : infoRow(`${name} (${db})`, `${fmt(r.perSec, 0)} /s`),
      {
        figure: `comments lost (accepted − stored), ${db}`,
        measured: String(r.lost),
        budget: '0',
        margin: '',
        outcome: r.lost === 0 && r.distinctStored === r.stored ? 'pass' : 'FAIL',
      },
      infoRow(
        `submitted / accepted / stored, ${db}`,
        `${r.submitted} / ${r.accepted} / ${r.stored} (p50 ${fmt(r.latencyP50Ms, 0)} ms, p99 ${fmt(r.latencyP99Ms, 0)} ms)`,
      ),
      ...(Object.keys(r.refused).length || r.errors
        ? [infoRow(`not accepted (by HTTP status) / socket errors, ${db}`, `${JSON.stringify(r.refused)} / ${r.errors}`)]
        : []),
      infoRow(
        `CPU per submission: app server${db === 'PostgreSQL' ? ' / PostgreSQL backends' : ''}`,
        db === 'PostgreSQL'
          ? `${fmt(r.cpuMsPerSubmission.server, 2)} / ${fmt(r.cpuMsPerSubmission.postgres, 2)} ms`
          : `${fmt(r.cpuMsPerSubmission.server, 2)} ms`,
      ),
      infoRow(`app RSS during submissions (max / VmHWM), ${db}`, `${fmt(r.maxRssMb, 0)} / ${fmt(r.peakHwmMb, 0)} MB`),
    ];
  };
  return [...rowsOf(c.postgres, 'PostgreSQL', true), ...rowsOf(c.pglite, 'PGlite', false)];
}

function gitInfo() {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain') !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

// Share of all cores, e.g. "34% (the bench and its servers 50%)".
const share = (c: ReturnType<ReturnType<typeof watchMachine>['stop']>) =>
  c ? `${Math.round(c.othersShare * 100)}% of the machine (the bench and its servers ${Math.round(c.oursShare * 100)}%)` : 'unknown';

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 160);

main().catch(async (err) => {
  console.error('bench failed:', err);
  await cleanupAll();
  process.exit(1);
});
