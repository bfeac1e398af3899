// Who may use each route the features register (tests/integration/route-access/*.test.ts walk and
// fuzz every route by these rules, sweep.ts says how). Nobody gets a page they are not allowed to
// see, and a contributor never sees another person's details anywhere.

export type Who = 'anonymous' | 'contributor' | 'staff' | 'involvement' | 'finance' | 'admin';
export const everyone: Who[] = ['anonymous', 'contributor', 'staff', 'involvement', 'finance', 'admin'];
const allStaff: Who[] = ['staff', 'involvement', 'finance', 'admin'];

// First match wins. A route with no rule fails the test: add it here when you add a route.
export const rules: { match: RegExp; allowed: Who[] }[] = [
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
export const concrete = (url: string, subjectId: string) =>
  url
    .replace(/:(\w+)/g, (_, p: string) => (p === 'id' && url.startsWith('/admin/people') ? subjectId : (sample[p] ?? 'x')))
    .replace(/\*$/, 'x');

// Fastify's and Node's own error codes: a body showing one was answered by the framework, not us.
export const frameworkCode = /\bFST_[A-Z_]+|"statusCode":\s*\d|\bHPE_[A-Z_]+/;
