import { createHash } from 'node:crypto';

// HTTP validators (RFC 9110, 8.8.3 and 13.1.2), for responses whose bytes we hold: the story page
// cache, calendar files, the NHS stylesheet.

// A strong ETag for exactly these bytes: 27 characters (162 bits) of their SHA-256, quoted.
export const strongEtag = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

// Whether an If-None-Match header names one of `etags`, or is `*`: the client's copy is current and
// the answer is 304. The comparison is weak (a `W/` prefix is ignored), as the RFC asks for this
// header.
export function ifNoneMatchHits(header: string | undefined, etags: readonly string[]): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => etags.includes(tag.trim().replace(/^W\//, '')));
}
