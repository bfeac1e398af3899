import type { IncomingHttpHeaders } from 'node:http';

// Whether a POST came from one of our own pages, by what the browser says about it: the Fetch
// Metadata header (every current browser sends it), else Origin, else Referer. A request with none
// of them did not come from a browser, so it cannot be a cross-site request forgery (which needs a
// victim's browser); such a request still has to pass every other check of its route.
export function fromOwnPage(headers: IncomingHttpHeaders, ownOrigins: readonly string[]): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = headers.origin;
  if (typeof origin === 'string') return ownOrigins.includes(origin);
  const referer = headers.referer;
  if (typeof referer === 'string') return URL.canParse(referer) && ownOrigins.includes(new URL(referer).origin);
  return true;
}

// The site's own origin and, for a site on a loopback address, the same port at localhost (which
// development and the journeys also use).
export function ownOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const origins = [url.origin];
  if (/^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/.test(url.hostname)) {
    for (const host of ['localhost', '127.0.0.1']) {
      const alias = new URL(url.origin);
      alias.hostname = host;
      if (!origins.includes(alias.origin)) origins.push(alias.origin);
    }
  }
  return origins;
}
