// What the route-access tests do, shared by their files so the test workers can share the work:
// one app with someone whose details must never leak, a browser for each kind of visitor, the walk
// of every route as one visitor, and the hostile-input fuzz over a part of the routes.
import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { controlCharacters, hostileNextValues, hugeValue } from '#tests/helpers/hostile-input.ts';
import { malformedMultipart } from '#tests/helpers/hostile-multipart.ts';
import { concrete, frameworkCode, rules, type Who } from './rules.ts';

export type Sweep = Awaited<ReturnType<typeof routeSweep>>;
type Route = Sweep['routes'][number];
type Answer = { statusCode: number; body: string; headers: Record<string, unknown> };

export async function routeSweep() {
  const sink = await startSmtpSink();
  const { app } = await buildTestApp({ smtpUrl: sink.url });
  // Someone else, with details that must never show to the contributor below.
  const other = await joinedContributor(app, sink, 'Zebedee Quillfeather', 'zebedee.private@example.net');
  await other.browser.submit('/profile/details', '/profile/details', {
    name: 'Zebedee Quillfeather',
    preferredName: 'Zeb',
    phone: '07700 900 461',
  });
  const visitors: Record<Who, () => Promise<Browser>> = {
    anonymous: async () => new Browser(app),
    contributor: async () => (await joinedContributor(app, sink, 'Casey Contributor')).browser,
    staff: async () => (await signedInBrowser(app, 'staff')).browser,
    involvement: async () => (await signedInBrowser(app, 'involvement')).browser,
    finance: async () => (await signedInBrowser(app, 'finance')).browser,
    admin: async () => (await signedInBrowser(app, 'admin')).browser,
  };
  const routes = app.routeTable.filter(
    (r) => (r.method === 'GET' || r.method === 'POST') && !r.url.startsWith('/assets') && !r.url.includes('sign-out'),
  );
  return { app, other, visitors, routes };
}

// The CSRF token of a form on the page at `url`, as this visitor's session got it.
const csrfOn = async (browser: Browser, url: string) => /name="_csrf" value="([^"]+)"/.exec((await browser.get(url)).body)?.[1];

export const allowedTo = (who: Who, url: string) => rules.find((rule) => rule.match.test(url))!.allowed.includes(who);

// One kind of visitor for the walk: signed in once, with a CSRF token for their session, so POSTs
// test the role check, not the token.
async function walker(sweep: Sweep, who: Who) {
  const browser = await sweep.visitors[who]();
  const csrf = (await csrfOn(browser, '/')) ?? (await csrfOn(browser, '/join'));
  return { who, browser, csrf };
}

// Routes as one kind of visitor: allowed or refused as the rules say, never a server error, a
// stack trace, a framework's error body, another person's details, or a cacheable signed-in page.
async function walk(sweep: Sweep, visitor: Awaited<ReturnType<typeof walker>>, routes: Route[]): Promise<string[]> {
  const { who, browser, csrf } = visitor;
  if (!csrf) return [`no CSRF token for ${who}`];
  const problems: string[] = [];
  for (const route of routes) {
    const url = concrete(route.url, sweep.other.id);
    const allowed = allowedTo(who, route.url);
    const res = route.method === 'GET' ? await browser.get(url) : await browser.post(url, { _csrf: csrf });
    const where = `${route.method} ${url} as ${who}: ${res.statusCode}`;
    if (res.statusCode >= 500) problems.push(`${where} (server error)`);
    const refused =
      res.statusCode === 401 || res.statusCode === 403 || (res.statusCode === 302 && String(res.headers.location).startsWith('/sign-in'));
    if (!allowed && !refused) problems.push(`${where} (should be refused)`);
    if (allowed && (res.statusCode === 401 || res.statusCode === 403 || (who !== 'anonymous' && refused)))
      problems.push(`${where} (should be allowed)`);
    if (who === 'contributor') {
      for (const secret of ['zebedee.private@example.net', 'Quillfeather', '07700 900 461', sweep.other.id]) {
        if (res.body.includes(secret)) problems.push(`${where} shows another person's ${secret}`);
      }
    }
    problems.push(...faultsIn(where, res));
    // Issue 17, finding 6: a shared cache or the back button must never keep a signed-in page.
    const noStore = /no-store/.test(String(res.headers['cache-control']));
    if ((who !== 'anonymous' || route.url.includes(':token')) && !noStore) problems.push(`${where} may be cached`);
  }
  return problems;
}

function faultsIn(where: string, res: Answer): string[] {
  const found: string[] = [];
  if (res.body.includes('    at ') && /Error:/.test(res.body)) found.push(`${where}: a stack trace`);
  if (frameworkCode.test(res.body)) found.push(`${where}: a framework error code`);
  return found;
}

// The routes in part `part` of `parts` (every parts-th route), so that each fuzz file takes an even
// share however many routes there come to be.
export const partOf = (routes: Route[], part: number, parts: number) => routes.filter((_, i) => i % parts === part);

// The outside probe's kinds of input (issue 17), sent to every route, so every new route is
// fuzzed the same way: control characters, arrays for single values, 100,000-character values,
// malformed multipart bodies and open-redirect `next` values. None may cause a server error, a
// framework error body, a stack trace or a redirect to another site. Each route gets every kind as
// a visitor it is for (an admin, a contributor, or both); a visitor it turns away gets one kind,
// which shows the refusal copes (who may post is decided before the body is read).
export async function fuzz(sweep: Sweep, browser: Browser, who: 'admin' | 'contributor', routes: Route[]): Promise<string[]> {
  const csrf = (await csrfOn(browser, '/')) ?? '';
  const problems: string[] = [];
  const check = (where: string, res: Answer) => {
    if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode}`);
    problems.push(...faultsIn(where, res));
    // Browsers drop control characters and spaces from an address, so the check does too.
    const location = [(res.headers.location as string | string[] | undefined) ?? '']
      .flat()
      .join('')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0020]/g, '');
    if (location && !/^\/(?![/\\])/.test(location) && !location.startsWith('http://localhost:3000/'))
      problems.push(`${where}: redirects to ${location}`);
  };
  for (const route of routes) {
    const url = concrete(route.url, sweep.other.id);
    const forThem = allowedTo(who, route.url);
    const page = route.method === 'GET' || !forThem ? null : await browser.get(url);
    const names = new Set(['q', 'page', 'next', 'name', 'email', 'body', 'id', 'ids', 'action']);
    for (const m of (page?.body ?? '').matchAll(/name="([^"_][^"]*)"/g)) names.add(m[1]!);
    const variants: Record<string, Record<string, string | string[]>> = {
      'control characters': Object.fromEntries([...names].map((n) => [n, controlCharacters])),
    };
    if (forThem) {
      variants.arrays = Object.fromEntries([...names].map((n) => [n, ['one', 'two']]));
      variants['huge values'] = Object.fromEntries([...names].map((n) => [n, hugeValue]));
      for (const next of hostileNextValues.slice(0, 4)) variants[`next=${JSON.stringify(next)}`] = { next };
    }
    for (const [kind, fields] of Object.entries(variants)) {
      const where = `${route.method} ${url} with ${kind} as ${who}`;
      if (route.method === 'GET') {
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(fields))
          for (const item of [v].flat()) query.append(k, kind === 'huge values' ? item.slice(0, 6000) : item);
        check(where, await browser.get(`${url}?${query.toString()}`));
      } else check(where, await browser.post(url, { ...fields, _csrf: csrf }));
    }
    if (route.method === 'POST' && forThem) {
      for (const [shape, { contentType, body }] of Object.entries(malformedMultipart({ _csrf: csrf }))) {
        const res = await sweep.app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { 'content-type': contentType, cookie: browser.cookieHeader },
        });
        check(`POST ${url} with multipart ${shape} as ${who}`, res);
      }
    }
  }
  return problems;
}

// A test file's share of the walk: every route as each of the given visitors, in tests of at most
// 40 routes each, so each test stays short however many routes there come to be and however busy
// the machine is (and any other tests of the same routes, given `also`). Each visitor signs in
// once, in their first test, and walks the routes in order across their tests.
export function describeWalks(who: Who[], also?: (sweep: Sweep) => void) {
  describe(`every route, as ${who.join(', ')}`, async () => {
    const sweep = await routeSweep();
    also?.(sweep);
    for (const visitor of who) {
      let signedIn: ReturnType<typeof walker> | undefined;
      for (let from = 0; from < sweep.routes.length; from += 40) {
        const shard = sweep.routes.slice(from, from + 40);
        it(`answers ${visitor} on ${shard.length} routes (${shard[0]!.method} ${shard[0]!.url} on) with what they may see and nothing more`, async () => {
          signedIn ??= walker(sweep, visitor);
          expect(await walk(sweep, await signedIn, shard)).toEqual([]);
        });
      }
    }
  });
}

// A test file's share of the fuzz: part `part` of `parts`, in tests of at most 30 routes each, so
// each test stays short however many routes there come to be.
export function describeFuzz(part: number, parts: number) {
  describe(`hostile input, part ${part + 1} of ${parts} of the routes`, async () => {
    const sweep = await routeSweep();
    // Signed in before anything is fuzzed: the fuzz uses up the join form's rate limit.
    const fuzzers = { admin: await sweep.visitors.admin(), contributor: await sweep.visitors.contributor() };
    const mine = partOf(sweep.routes, part, parts);
    for (let from = 0; from < mine.length; from += 30) {
      const shard = mine.slice(from, from + 30);
      for (const who of ['admin', 'contributor'] as const)
        it(`survives hostile input on ${shard.length} routes (${shard[0]!.method} ${shard[0]!.url} on) as ${who}`, async () => {
          expect(await fuzz(sweep, fuzzers[who], who, shard)).toEqual([]);
        });
    }
  });
}
