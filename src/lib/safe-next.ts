// Where to send someone after they sign in (or finish anything that takes a "come back here"
// address from the request). Only a path on this site is accepted: browsers drop tabs, newlines
// and other control characters from addresses, so "/\t/evil.example" becomes "//evil.example",
// another site. The value is judged after removing them, and must still resolve to our origin.
const ORIGIN = 'http://coproduce.invalid';
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u0020\u007f-\u009f]/g;

export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  const seen = next.replace(invisible, '');
  if (!seen.startsWith('/') || seen.startsWith('//') || seen.startsWith('/\\') || seen.includes('\\')) return fallback;
  let url: URL;
  try {
    url = new URL(seen, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  // Rebuilt from the parsed parts, so what we send is exactly what we checked.
  return `${url.pathname}${url.search}${url.hash}`;
}
