import { describe, expect, it } from 'vitest';
import { fromOwnPage, ownOrigins } from './same-origin.ts';

describe('where a post came from', () => {
  const own = ownOrigins('https://involve.example.org');

  it('trusts the Fetch Metadata header first, and only same-origin', () => {
    expect(fromOwnPage({ 'sec-fetch-site': 'same-origin', origin: 'https://elsewhere.example' }, own)).toBe(true);
    for (const site of ['same-site', 'cross-site', 'none']) {
      expect(fromOwnPage({ 'sec-fetch-site': site, origin: 'https://involve.example.org' }, own), site).toBe(false);
    }
  });

  it('falls back to Origin, then Referer, and lets through a request from no browser at all', () => {
    expect(fromOwnPage({ origin: 'https://involve.example.org' }, own)).toBe(true);
    expect(fromOwnPage({ origin: 'http://involve.example.org' }, own)).toBe(false);
    expect(fromOwnPage({ origin: 'null' }, own)).toBe(false);
    expect(fromOwnPage({ referer: 'https://involve.example.org/stories/a' }, own)).toBe(true);
    expect(fromOwnPage({ referer: 'https://involve.example.org.evil.example/' }, own)).toBe(false);
    expect(fromOwnPage({ referer: 'not a url' }, own)).toBe(false);
    expect(fromOwnPage({}, own)).toBe(true);
  });

  it('counts localhost and 127.0.0.1 as the same site on a loopback address, and nothing else', () => {
    expect(ownOrigins('http://127.0.0.1:3170')).toEqual(['http://127.0.0.1:3170', 'http://localhost:3170']);
    expect(ownOrigins('http://localhost:3000/')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(own).toEqual(['https://involve.example.org']);
  });
});
