import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { controlCharacters, hostileNextValues, hugeValue } from '#tests/helpers/hostile-input.ts';
import { malformedMultipart } from '#tests/helpers/hostile-multipart.ts';

// Every route the features register, requested as each kind of visitor. Nobody gets a page they
// are not allowed to see, and a contributor never sees another person's details anywhere.
type Who = 'anonymous' | 'contributor' | 'staff' | 'involvement' | 'finance' | 'admin';
const everyone: Who[] = ['anonymous', 'contributor', 'staff', 'involvement', 'finance', 'admin'];
const allStaff: Who[] = ['staff', 'involvement', 'finance', 'admin'];

// First match wins. A route with no rule fails the test: add it here when you add a route.
const rules: { match: RegExp; allowed: Who[] }[] = [
  { match: /^\/admin\/(people|organisations|opportunities)(\/|$)/, allowed: ['involvement', 'admin'] },
  // Contributors co-assessing a round (accountability feature, assessing area): staff who may see
  // the register invite contributors and see who sent their view; a contributor's page is under
  // /profile (404 for anyone not invited).
  { match: /^\/admin\/standards\/rounds\/:id\/contributors$/, allowed: ['involvement', 'admin'] },
  // Meetings (groups and meetings, meetings area): staff who run groups schedule and run meetings;
  // changing one's own place and needs is a contributor's; a meeting's page and registering answer
  // everyone (a meeting someone may not see is a 404, as if it did not exist).
  { match: /^\/admin\/(meetings(\/|$)|groups\/:id\/meetings\/)/, allowed: ['involvement', 'admin'] },
  { match: /^\/meetings\/:id\/(cancel|needs)$/, allowed: ['contributor'] },
  { match: /^\/admin\/(audit|lived-experience|settings)(\/|$)/, allowed: ['admin'] },
  { match: /^\/admin\/involvement\/rates(\/|$)/, allowed: ['admin'] },
  { match: /^\/admin\/involvement\/records(\/|$)/, allowed: ['involvement', 'admin'] },
  { match: /^\/admin\/users(\/|$)/, allowed: ['admin'] },
  { match: /^\/admin\/rules(\/|$)/, allowed: ['admin'] },
  // Groups (groups area): staff who run groups manage them; a member's own choices and leaving need
  // an account (a non-member gets 404); the invitation link works signed out (the token is the key).
  { match: /^\/admin\/groups(\/|$)/, allowed: ['involvement', 'admin'] },
  { match: /^\/groups\/:slug\/(membership|leave)$/, allowed: ['contributor', ...allStaff] },
  // Claims (involvement feature, claims area): staff who run the register enter a claim for someone.
  { match: /^\/admin\/involvement\/records\/:recordId\/claim$/, allowed: ['involvement', 'admin'] },
  // Finance (involvement feature, finance area): exports, payments, receipts, bank details and
  // reports for finance staff and admins; the payments settings for admins.
  { match: /^\/admin\/finance\/settings$/, allowed: ['admin'] },
  { match: /^\/admin\/finance(\/|$)/, allowed: ['finance', 'admin'] },
  // Document reviews: staff who run involvement commission reviews, choose reviewers, collate and
  // answer comments and publish the summary; the invitation links work signed out (the token is
  // the key; an unknown token is a 404 for everyone); a reviewer's pages are under /profile (404
  // for anyone not invited); the summaries at /reviews/… are public once published.
  { match: /^\/admin\/reviews(\/|$)/, allowed: ['involvement', 'admin'] },
  { match: /^\/reviews\/invitation\/:token\/(accept|decline)$/, allowed: everyone },
  // Public commitments (accountability feature, commitments area): admins define the statuses;
  // every member of staff keeps commitments; the list, each page, the CSV and RSS are public.
  { match: /^\/admin\/commitments\/statuses(\/|$)/, allowed: ['admin'] },
  { match: /^\/admin\/commitments(\/|$)/, allowed: allStaff },
  { match: /^\/commitments(\.csv|\/updates\.rss|\/:slug)?$/, allowed: everyone },
  // You said, we did (accountability feature, said-did area): every member of staff writes and
  // publishes entries; the list and each published entry are public (a draft is a 404).
  { match: /^\/admin\/you-said-we-did(\/|$)/, allowed: allStaff },
  { match: /^\/you-said-we-did(\/:slug)?$/, allowed: everyone },
  // Involvement standards (accountability feature, standards area): admins keep the frameworks;
  // every member of staff runs rounds (rate, evidence, actions, complete, publish) and downloads
  // uploaded evidence; the public pages answer everyone (an unpublished round is a 404).
  { match: /^\/admin\/standards\/frameworks(\/|$)/, allowed: ['admin'] },
  { match: /^\/admin\/standards(\/|$)/, allowed: allStaff },
  { match: /^\/standards(\/:slug)?$/, allowed: everyone },
  { match: /^\/(admin|dev)(\/|$)/, allowed: allStaff },
  // Calendars (groups feature, calendar area): a meeting's file answers as its page does (the id
  // here is no meeting: 404 for all); the public feed is for anyone; the personal feed's secret
  // token is the key, so it works signed out; the address page is the contributor's own.
  { match: /^\/meetings\/:id\/calendar\.ics$/, allowed: everyone },
  { match: /^\/events\/calendar\.ics$/, allowed: everyone },
  { match: /^\/calendar\/:token\.ics$/, allowed: everyone },
  { match: /^\/profile\/calendar(\/new)?$/, allowed: ['contributor'] },
  { match: /^\/profile(\/|$)/, allowed: ['contributor'] },
  // A member of staff's own account; the emailed link to confirm a new address works signed out.
  { match: /^\/account\/email\/confirm$/, allowed: everyone },
  { match: /^\/account\/two-factor-requirement$/, allowed: ['admin'] },
  { match: /^\/account(\/|$)/, allowed: allStaff },
  // Applying: someone signed out is offered the join form (and sent to sign in if they post); staff do not apply.
  { match: /^\/opportunities\/:slug\/apply$/, allowed: ['anonymous', 'contributor'] },
  // The stop link in an opportunity alert email works signed out: the signed token is the key.
  { match: /^\/opportunity-alerts\/stop\/:token$/, allowed: everyone },
  // Following a page by email (newsletters feature, follows): anyone may ask on a followable page
  // (/commitments/:slug/follow); the confirm and unsubscribe links work signed out, the token is
  // the key (an unknown token is a 404 for everyone).
  { match: /^\/[^/]+\/:\w+\/follow(\/check-email)?$/, allowed: everyone },
  { match: /^\/follow\/(confirm|unsubscribe)\/:token$/, allowed: everyone },
  { match: /^\/(?!admin|dev|profile)/, allowed: everyone },
];

const sample: Record<string, string> = { slug: 'no-such-thing', token: 'not-a-real-token', id: '999999', tag: 'no-such-tag', name: 'x' };
const concrete = (url: string, subjectId: string) =>
  url
    .replace(/:(\w+)/g, (_, p: string) => (p === 'id' && url.startsWith('/admin/people') ? subjectId : (sample[p] ?? 'x')))
    .replace(/\*$/, 'x');

// Fastify's and Node's own error codes: a body showing one was answered by the framework, not us.
const frameworkCode = /\bFST_[A-Z_]+|"statusCode":\s*\d|\bHPE_[A-Z_]+/;

describe('every route, as every kind of visitor', async () => {
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
  // Made before anything is fuzzed: the fuzz uses up the join form's rate limit.
  const fuzzers = { admin: await visitors.admin(), contributor: await visitors.contributor() };
  const routes = app.routeTable.filter(
    (r) => (r.method === 'GET' || r.method === 'POST') && !r.url.startsWith('/assets') && !r.url.includes('sign-out'),
  );

  it('has a rule for every route', () => {
    const missing = routes.filter((r) => !rules.some((rule) => rule.match.test(r.url)));
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  for (const who of everyone) {
    it(`answers ${who} with what they may see and nothing more`, async () => {
      const browser = await visitors[who]();
      // A CSRF token for this visitor's session, so POSTs test the role check, not the token.
      const tokenOn = async (url: string) => /name="_csrf" value="([^"]+)"/.exec((await browser.get(url)).body)?.[1];
      const csrf = (await tokenOn('/')) ?? (await tokenOn('/join'));
      expect(csrf).toBeTruthy();
      const problems: string[] = [];
      for (const route of routes) {
        const url = concrete(route.url, other.id);
        const allowed = rules.find((rule) => rule.match.test(route.url))!.allowed.includes(who);
        const res = route.method === 'GET' ? await browser.get(url) : await browser.post(url, { _csrf: csrf! });
        const where = `${route.method} ${url} as ${who}: ${res.statusCode}`;
        if (res.statusCode >= 500) problems.push(`${where} (server error)`);
        const refused =
          res.statusCode === 401 ||
          res.statusCode === 403 ||
          (res.statusCode === 302 && String(res.headers.location).startsWith('/sign-in'));
        if (!allowed && !refused) problems.push(`${where} (should be refused)`);
        if (allowed && (res.statusCode === 401 || res.statusCode === 403 || (who !== 'anonymous' && refused)))
          problems.push(`${where} (should be allowed)`);
        if (who === 'contributor') {
          for (const secret of ['zebedee.private@example.net', 'Quillfeather', '07700 900 461', other.id]) {
            if (res.body.includes(secret)) problems.push(`${where} shows another person's ${secret}`);
          }
        }
        if (res.body.includes('    at ') && /Error:/.test(res.body)) problems.push(`${where} shows a stack trace`);
        if (frameworkCode.test(res.body)) problems.push(`${where} shows a framework error code`);
        // Issue 17, finding 6: a shared cache or the back button must never keep a signed-in page.
        const noStore = /no-store/.test(String(res.headers['cache-control']));
        if ((who !== 'anonymous' || route.url.includes(':token')) && !noStore) problems.push(`${where} may be cached`);
      }
      expect(problems).toEqual([]);
    });
  }

  // The outside probe's kinds of input (issue 17), sent to every route, so every new route is
  // fuzzed the same way: control characters, arrays for single values, 100,000-character values,
  // malformed multipart bodies and open-redirect `next` values. None may cause a server error, a
  // framework error body, a stack trace or a redirect to another site.
  // In shards of routes, so each test stays short however many routes there come to be.
  const fuzzed = routes;
  const SHARD = 30;
  const shards = Array.from({ length: Math.ceil(fuzzed.length / SHARD) }, (_, i) => fuzzed.slice(i * SHARD, (i + 1) * SHARD));
  for (const [shard, shardRoutes] of shards.entries())
    for (const who of ['admin', 'contributor'] as const) {
      it(`survives hostile input on routes ${shard * SHARD + 1} to ${shard * SHARD + shardRoutes.length} of ${fuzzed.length} as ${who}`, async () => {
        const browser = fuzzers[who];
        const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/')).body)?.[1] ?? '';
        const problems: string[] = [];
        const check = (where: string, res: { statusCode: number; body: string; headers: { location?: string | string[] } }) => {
          if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode}`);
          if (frameworkCode.test(res.body)) problems.push(`${where}: a framework error code`);
          if (res.body.includes('    at ') && /Error:/.test(res.body)) problems.push(`${where}: a stack trace`);
          // Browsers drop control characters and spaces from an address, so the check does too.
          const location = [res.headers.location ?? '']
            .flat()
            .join('')
            // eslint-disable-next-line no-control-regex
            .replace(/[\u0000-\u0020]/g, '');
          if (location && !/^\/(?![/\\])/.test(location) && !location.startsWith('http://localhost:3000/'))
            problems.push(`${where}: redirects to ${location}`);
        };
        for (const route of shardRoutes) {
          const url = concrete(route.url, other.id);
          const page = route.method === 'GET' ? null : await browser.get(url);
          const names = new Set(['q', 'page', 'next', 'name', 'email', 'body', 'id', 'ids', 'action']);
          for (const m of (page?.body ?? '').matchAll(/name="([^"_][^"]*)"/g)) names.add(m[1]!);
          const variants: Record<string, Record<string, string | string[]>> = {
            'control characters': Object.fromEntries([...names].map((n) => [n, controlCharacters])),
            arrays: Object.fromEntries([...names].map((n) => [n, ['one', 'two']])),
            'huge values': Object.fromEntries([...names].map((n) => [n, hugeValue])),
          };
          for (const next of hostileNextValues.slice(0, 4)) variants[`next=${JSON.stringify(next)}`] = { next };
          for (const [kind, fields] of Object.entries(variants)) {
            const where = `${route.method} ${url} with ${kind} as ${who}`;
            if (route.method === 'GET') {
              const query = new URLSearchParams();
              for (const [k, v] of Object.entries(fields))
                for (const item of [v].flat()) query.append(k, kind === 'huge values' ? item.slice(0, 6000) : item);
              check(where, await browser.get(`${url}?${query.toString()}`));
            } else check(where, await browser.post(url, { ...fields, _csrf: csrf }));
          }
          if (route.method === 'POST') {
            for (const [shape, { contentType, body }] of Object.entries(malformedMultipart({ _csrf: csrf }))) {
              const res = await app.inject({
                method: 'POST',
                url,
                payload: body,
                headers: { 'content-type': contentType, cookie: browser.cookieHeader },
              });
              check(`POST ${url} with multipart ${shape} as ${who}`, res);
            }
          }
        }
        expect(problems).toEqual([]);
      });
    }
});
