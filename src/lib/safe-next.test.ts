import { describe, expect, it } from 'vitest';
import { hostileNextValues } from '#tests/helpers/hostile-input.ts';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/admin/comments', '/admin')).toBe('/admin/comments');
    expect(safeNext('/admin/people?q=smith#results', '/admin')).toBe('/admin/people?q=smith#results');
  });

  it('sends anything that could leave the site to the fallback', () => {
    for (const next of hostileNextValues) expect(safeNext(next, '/admin'), JSON.stringify(next)).toBe('/admin');
    expect(safeNext(undefined, '/profile')).toBe('/profile');
    expect(safeNext(['/admin'], '/profile')).toBe('/profile');
    expect(safeNext(`/${'a'.repeat(5000)}`, '/admin')).toBe('/admin');
  });
});
