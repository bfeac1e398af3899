import { describe, expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { createOpportunity } from './test-support.ts';
import { createMatchingRepository, reasonsToMatch } from './matching.ts';

const person = { termIds: [3], region: 'London', interests: ['reviewing'], availableWays: ['online'] };

describe('reasonsToMatch', () => {
  it('matches on lived experience sought and held, with the other reasons beside it', () => {
    expect(reasonsToMatch({ type: 'peer-review', soughtTermIds: [3, 4], region: 'London', mode: 'both' }, person)).toEqual([
      { kind: 'lived-experience', termIds: [3] },
      { kind: 'interest', interest: 'reviewing' },
      { kind: 'region', region: 'London' },
    ]);
  });
  it('never matches someone without the lived experience an opportunity seeks', () => {
    expect(reasonsToMatch({ type: 'peer-review', soughtTermIds: [9], region: null, mode: 'online' }, person)).toEqual([]);
  });
  it('never matches an in-person opportunity in another region', () => {
    expect(reasonsToMatch({ type: 'peer-review', soughtTermIds: [], region: 'Wales', mode: 'in-person' }, person)).toEqual([]);
  });
  it('needs more than "it is online" to match', () => {
    expect(reasonsToMatch({ type: 'event', soughtTermIds: [], region: null, mode: 'online' }, person)).toEqual([]);
    expect(reasonsToMatch({ type: 'peer-review', soughtTermIds: [], region: 'Wales', mode: 'online' }, person)).toEqual([
      { kind: 'interest', interest: 'reviewing' },
      { kind: 'online' },
    ]);
  });
});

describe('openMatching', () => {
  it('lists open, unclosed matches, strongest first, leaving out drafts, closed ones and those excluded', async () => {
    const { db } = await buildTestApp();
    const strong = await createOpportunity(db, { soughtTermIds: [3], region: 'London' });
    const weak = await createOpportunity(db, { region: 'London', type: 'survey' });
    const excluded = await createOpportunity(db, { soughtTermIds: [3] });
    await createOpportunity(db, { status: 'draft', soughtTermIds: [3] });
    await createOpportunity(db, { closesAt: new Date(Date.now() - 1000), soughtTermIds: [3] });
    await createOpportunity(db, { status: 'closed', soughtTermIds: [3] });
    const found = await createMatchingRepository(db).openMatching(person, { exclude: [excluded.id] });
    expect(found.map((m) => m.opportunity.id)).toEqual([strong.id, weak.id]);
  });
});

describe("the profile's facts for matching", () => {
  it('reads the terms a person chose (archived ones left out), region, interests and ways of taking part', async () => {
    const { db, services } = await buildTestApp();
    for (const label of ['Asthma', 'Gout']) expect((await services.profile.addTerm({ category: 'condition', label })).ok).toBe(true);
    const terms = await services.profile.terms();
    const [asthma, gout] = ['Asthma', 'Gout'].map((label) => terms.find((t) => t.label === label)!.id);
    await services.profile.setArchived(gout!, true);
    const person = await insertContributor(db, 'Ola Okafor', {
      termIds: [asthma!, gout!],
      region: 'Wales',
      interests: ['groups'],
      availableWays: ['online', 'phone'],
    });
    expect(await services.profile.matchFacts(person.id)).toEqual({
      termIds: [asthma],
      region: 'Wales',
      interests: ['groups'],
      availableWays: ['online', 'phone'],
    });
  });
});
