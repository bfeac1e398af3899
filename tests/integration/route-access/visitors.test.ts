import { expect, it } from 'vitest';
import { rules } from './rules.ts';
import { describeWalks } from './sweep.ts';

describeWalks(['anonymous', 'contributor', 'staff'], ({ routes }) => {
  it('has a rule for every route (add one to rules.ts with each new route)', () => {
    const missing = routes.filter((r) => !rules.some((rule) => rule.match.test(r.url)));
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });
});
