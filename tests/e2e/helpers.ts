import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { e2eMinFillSeconds } from './env.ts';
import { test as base, expect, type Browser, type BrowserContext, type Page, type Route, type TestInfo } from '@playwright/test';

export { expect };

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// The journeys must check every page they load; pages remember which documents were checked.
const checkedUrls = new WeakMap<Page, Set<string>>();
// When each watched page last finished loading a document (see waitForMinimumFillTime).
const loadedAt = new WeakMap<Page, number>();
// Pages from the fixtures say whether their context runs scripts; any other page is probed.
const scriptsOn = new WeakSet<Page>();
const scriptsOff = new WeakSet<Page>();
const withoutHash = (url: string) => url.replace(/#.*$/, '');

// One axe run over a page with no frames, in the page itself, with full details only for
// violations, calling axe-core directly. Every browser context the journeys open with JavaScript
// on has axe-core as an init script, so each document has it before it is checked (sending its
// half-megabyte source for each check cost more than the check); a page from anywhere else gets it
// when first checked (ADR 14, "each axe run costs less"). Contexts with JavaScript off do not: their
// pages are checked in a mirror (below), and the init script still cost about 70 ms per document
// there, checked or not.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const withAxe = (context: BrowserContext) => context.addInitScript({ content: axeSource });
type Violations = Pick<AxeResults, 'violations'>;
async function axeOn(page: Page): Promise<Violations> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  return page.evaluate((tags) => {
    const { axe, document } = globalThis as unknown as { axe: typeof import('axe-core'); document: never };
    return (
      axe
        // Axe reads in every rule of every stylesheet before each run unless told not to (its "cssom"
        // preload), though only css-orientation-lock uses them, an experimental rule that these
        // tags never run: about a sixth of each check, for nothing (ADR 14, "no stylesheets read
        // in"). Media is still preloaded, for no-autoplay-audio.
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: { assets: ['media'] } })
        .then((results) => ({ violations: results.violations }))
    );
  }, wcagTags);
}

// Runs axe (WCAG 2.0–2.2 A and AA) over the page and fails listing every violation.
export async function expectNoAxeViolations(page: Page) {
  await page.waitForLoadState('load');
  const url = page.url();
  const scripts = scriptsOff.has(page) ? false : scriptsOn.has(page) ? true : await scriptsRun(page);
  const html = await page.content();
  const key = documentKey(page, scripts, html);
  const passed = passedDocuments.has(key);
  const results = passed ? { violations: [] } : scripts ? await axeOn(page) : await analyzeWithoutJs(page, html);
  // (A page whose scripts changed it while axe ran is not remembered: axe saw another document.)
  if (!passed && results.violations.length === 0 && (!scripts || (await page.content()) === html)) passedDocuments.add(key);
  checkedUrls.get(page)?.add(withoutHash(url));
  const report = results.violations.map((v) => {
    const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`);
    return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
  });
  expect(report, `Accessibility violations on ${url}:\n${report.join('\n')}`).toEqual([]);
  // Axe no longer checks this under WCAG 2.2, but a label or an error summary's link that points at
  // an id two elements share reaches the first one only (a heading took a textarea's label once).
  expect(duplicateIds(html), `Ids used more than once on ${url}`).toEqual([]);
}

function duplicateIds(html: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const [, id] of html.matchAll(/<[a-z][^>]*?\sid="([^"]+)"/g)) (seen.has(id!) ? twice : seen).add(id!);
  return [...twice];
}

// The documents this worker has already checked and found clean. Axe's verdict depends only on the
// document, its stylesheets, the viewport and whether scripts run, so the same document shown again
// (the sign-in page, /join, a page revisited in one journey) is not checked again. Two documents
// count as the same when they differ only in what changes on every request and that axe never
// looks at: hidden inputs' values (CSRF tokens, form stamps) and script nonces. Any other
// difference (a new comment, a count, an error message, the address) is checked afresh.
const passedDocuments = new Set<string>();
function documentKey(page: Page, scripts: boolean, html: string) {
  const viewport = page.viewportSize();
  const normalised = html
    .replace(/<input\b[^>]*>/g, (tag) => (/\stype="hidden"/.test(tag) ? tag.replace(/\svalue="[^"]*"/, '') : tag))
    .replace(/\snonce="[^"]*"/g, '');
  const digest = createHash('sha256').update(normalised).digest('base64');
  return `${scripts ? 'js' : 'no-js'} ${viewport?.width}x${viewport?.height} ${withoutHash(page.url())} ${digest}`;
}

// A page from outside the fixtures: do its timers run? (They never do with JavaScript disabled.)
async function scriptsRun(page: Page): Promise<boolean> {
  return Promise.race([
    page.evaluate(() => new Promise<boolean>((r) => setTimeout(() => r(true), 0))),
    new Promise<boolean>((r) => setTimeout(() => r(false), 500)),
  ]);
}

// Timers never fire in a page with JavaScript disabled, so axe cannot run there. Instead the
// page's HTML is written into a JavaScript-enabled mirror page whose scripts are blocked, and checked
// there: the same DOM, the same stylesheets, the same viewport. One mirror page per browser serves
// every check, one check at a time. The mirror opens once, on a document of the same origin served
// with `script-src 'none'`; each check writes the HTML into that document (document.open, write,
// close: the same HTML parser as a page load, and the document keeps its policy, so no script in
// the HTML runs) instead of navigating. A navigation per check cost two new documents (a blank one
// first, to be sure of a fresh one), axe's set-up in each, and a round trip through the test runner
// for every request the page made (ADR 14, "the mirror writes, not navigates").
type Mirror = { page: Page; origin: string; dialogs: string[]; queue: Promise<unknown> };
const mirrors = new WeakMap<Browser, Promise<Mirror>>();
const mirrorPath = '/__axe-mirror__';

async function openMirror(browser: Browser): Promise<Mirror> {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const mirror: Mirror = { page, origin: '', dialogs: [], queue: Promise.resolve() };
  page.on('dialog', (d) => {
    mirror.dialogs.push(d.message());
    void d.dismiss();
  });
  return mirror;
}

// The mirror's document, on `origin` (relative addresses in the HTML resolve against it) and never
// asked of the server: the runner answers it, and only it.
async function mirrorOn(mirror: Mirror, origin: string) {
  if (mirror.origin === origin) return;
  const url = `${origin}${mirrorPath}`;
  const answer = (route: Route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'content-security-policy': "script-src 'none'" },
      body: '<!DOCTYPE html><html><head><title>Mirror</title></head><body></body></html>',
    });
  await mirror.page.route(url, answer);
  try {
    await mirror.page.goto(url);
  } finally {
    await mirror.page.unroute(url, answer);
  }
  mirror.origin = origin;
}

async function analyzeWithoutJs(page: Page, html: string) {
  const browser = page.context().browser();
  if (!browser) throw new Error('expectNoAxeViolations needs a page from a launched browser');
  if (!mirrors.has(browser)) mirrors.set(browser, openMirror(browser));
  const mirror = await mirrors.get(browser)!;
  const url = new URL(withoutHash(page.url()));
  const check = mirror.queue.then(async () => {
    await mirrorOn(mirror, url.origin);
    mirror.dialogs = [];
    await mirror.page.setViewportSize(page.viewportSize() ?? { width: 1280, height: 720 });
    // The address first (the document's own, for anything axe reads from it), then the HTML. The
    // check waits, as a page load does, until every stylesheet and image has loaded or failed, and
    // the fonts: the document's readiness alone was not enough (on a worker's first check, with
    // nothing cached, axe once ran before the stylesheets arrived and measured unstyled links).
    await mirror.page.evaluate(
      async ({ path, html }) => {
        type Loading = { addEventListener(type: 'load' | 'error', listener: () => void, options: { once: true }): void };
        type Element = Loading & { sheet?: unknown; complete?: boolean };
        const { document, history } = globalThis as unknown as {
          document: {
            open(): void;
            write(html: string): void;
            close(): void;
            querySelectorAll(selector: string): Iterable<Element>;
            fonts: { ready: Promise<unknown> };
          };
          history: { replaceState(data: null, unused: string, url: string): void };
        };
        history.replaceState(null, '', path);
        document.open();
        document.write(html);
        document.close();
        const settled = (element: Loading) =>
          new Promise<void>((done) => {
            element.addEventListener('load', done, { once: true });
            element.addEventListener('error', done, { once: true });
          });
        const stylesheets = [...document.querySelectorAll('link[rel~="stylesheet"]')].filter((link) => !link.sheet);
        const images = [...document.querySelectorAll('img')].filter((image) => !image.complete);
        await Promise.all([...stylesheets, ...images].map(settled));
        await document.fonts.ready;
      },
      { path: `${url.pathname}${url.search}`, html },
    );
    const results = await axeOn(mirror.page);
    expect(mirror.dialogs, 'a script ran in the JavaScript-off page').toEqual([]);
    return results;
  });
  mirror.queue = check.catch(() => undefined);
  return check;
}

// Watches a page for things that must never happen: a dialog (script injection), an uncaught
// script error, an error in the console, or a document loaded without an accessibility check.
function watch(page: Page, javaScriptEnabled: boolean) {
  (javaScriptEnabled ? scriptsOn : scriptsOff).add(page);
  const problems: string[] = [];
  const loaded: string[] = [];
  checkedUrls.set(page, new Set());
  page.on('dialog', (dialog) => {
    problems.push(`a ${dialog.type()} dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  const consoleErrors: { text: string; url: string }[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
  });
  page.on('load', () => {
    loaded.push(withoutHash(page.url()));
    loadedAt.set(page, Date.now());
  });
  return {
    assertClean() {
      const checked = checkedUrls.get(page) ?? new Set();
      const documents = new Set(loaded);
      const unchecked = [...documents].filter((u) => u !== 'about:blank' && !checked.has(u));
      // Chromium logs an error for every page served with a 4xx/5xx status. The journeys ask
      // for such pages on purpose (and check their status); a failing stylesheet, script or
      // image is still an error.
      const realConsoleErrors = consoleErrors.filter(
        (e) => !(e.text.startsWith('Failed to load resource: the server responded with a status of') && documents.has(withoutHash(e.url))),
      );
      const all = [
        ...problems,
        ...realConsoleErrors.map((e) => `console.error: ${e.text} (${e.url})`),
        ...unchecked.map((u) => `page loaded without an accessibility check: ${u}`),
      ];
      expect(all, all.join('\n')).toEqual([]);
    },
  };
}

type Fixtures = {
  // A page in a new, signed-out browser context with the same options as the test's own page
  // (or with JavaScript switched the other way, when a journey must say so).
  newPage: (options?: { javaScriptEnabled?: boolean }) => Promise<Page>;
};

// An address from the benchmarking range (198.18.0.0/15), different for every browser context.
const visitorAddress = () => `198.${18 + randomInt(2)}.${randomInt(256)}.${1 + randomInt(254)}`;

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({ extraHTTPHeaders }, use) => {
    await use({ ...extraHTTPHeaders, 'x-forwarded-for': visitorAddress() });
  },
  context: async ({ context, javaScriptEnabled }, use) => {
    if (javaScriptEnabled !== false) await withAxe(context);
    await use(context);
  },
  page: async ({ page, javaScriptEnabled }, use) => {
    const guard = watch(page, javaScriptEnabled !== false);
    await use(page);
    guard.assertClean();
  },
  newPage: async ({ browser, baseURL, javaScriptEnabled, viewport }, use) => {
    const opened: { context: BrowserContext; guard: ReturnType<typeof watch> }[] = [];
    await use(async (options = {}) => {
      const scripts = options.javaScriptEnabled ?? javaScriptEnabled !== false;
      const context = await browser.newContext({
        baseURL,
        javaScriptEnabled: scripts,
        viewport,
        extraHTTPHeaders: { 'x-forwarded-for': visitorAddress() },
      });
      if (scripts) await withAxe(context);
      const page = await context.newPage();
      opened.push({ context, guard: watch(page, scripts) });
      return page;
    });
    for (const { guard } of opened) guard.assertClean();
    for (const { context } of opened) await context.close();
  },
});

export const jsEnabled = (info: TestInfo) => info.project.use.javaScriptEnabled !== false;

// The server refuses a comment form filled in faster than a person could (minimum fill time): its
// stamp is issued while the server renders the form, so the wait runs from when the page loaded,
// not from when filling in ended (the time spent filling in, and checking the page, counts).
const minimumFillMs = e2eMinFillSeconds * 1000 + 500;
export const waitForMinimumFillTime = async (page: Page) => {
  const since = loadedAt.get(page);
  const left = since === undefined ? minimumFillMs : minimumFillMs - (Date.now() - since);
  if (left > 0) await page.waitForTimeout(left);
};

// A short unique marker so journeys running side by side find their own comments.
export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
