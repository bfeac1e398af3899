import type { Db, Tx } from '#src/db/client.ts';
import type { Services } from '#src/platform/services.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from './tables.ts';

// A starting taxonomy, in English and Welsh; admins rename, add and archive terms (and write their
// Welsh) at /admin/lived-experience.
const starterTerms: Record<string, [en: string, cy: string][]> = {
  condition: [
    ['Cancer', 'Canser'],
    ['Diabetes', 'Diabetes'],
    ['Heart or circulation condition', 'Cyflwr y galon neu gylchrediad'],
    ['Long COVID', 'COVID hir'],
    ['Mental health condition', 'Cyflwr iechyd meddwl'],
    ['Learning disability', 'Anabledd dysgu'],
    ['Dementia', 'Dementia'],
    ['Sickle cell disorder', 'Clefyd cryman-gell'],
  ],
  service: [
    ['GP or primary care', 'Meddyg teulu neu ofal sylfaenol'],
    ['Hospital care', 'Gofal ysbyty'],
    ['Mental health services', 'Gwasanaethau iechyd meddwl'],
    ['Maternity services', 'Gwasanaethau mamolaeth'],
    ['Social care', 'Gofal cymdeithasol'],
    ['Blood or organ donation', 'Rhoi gwaed neu organau'],
  ],
  caring: [
    ['Caring for a child', 'Gofalu am blentyn'],
    ['Caring for a partner', 'Gofalu am bartner'],
    ['Caring for a parent', 'Gofalu am riant'],
    ['Young carer', 'Gofalwr ifanc'],
  ],
};

export async function seedLivedExperienceTerms(db: Db | Tx) {
  const rows = Object.entries(starterTerms).flatMap(([category, terms]) =>
    terms.map(([label, cy]) => ({ category, label, translations: { cy: { label: cy } } })),
  );
  await db.insert(livedExperienceTerms).values(rows).onConflictDoNothing();
}

type DemoPerson = {
  name: string;
  preferredName?: string;
  region: string;
  interests: string[];
  times: string[];
  ways: string[];
  terms: string[];
  notes?: string;
  accessNeeds?: string[];
  accessNotes?: string;
  payment?: string;
  benefits?: 'yes' | 'no' | 'prefer-not-to-say';
  formats?: string[];
  source?: 'joined' | 'imported';
  joinedDaysAgo: number;
  involvedDaysAgo?: number;
};

// Invented people (addresses at example.org, which never receives mail) so a newcomer's staff
// register at /admin/people has someone to find. Nobody here is real.
const demoPeople: DemoPerson[] = [
  {
    name: 'Margaret Okafor',
    preferredName: 'Maggie',
    region: 'London',
    interests: ['groups', 'co-design'],
    times: ['weekday-daytime'],
    ways: ['in-person'],
    terms: ['Sickle cell disorder', 'Hospital care'],
    notes: 'I have lived with sickle cell all my life and know the emergency department far too well.',
    accessNeeds: ['breaks'],
    payment: 'fee',
    joinedDaysAgo: 400,
    involvedDaysAgo: 30,
  },
  {
    name: 'Tom Pritchard',
    region: 'Wales',
    interests: ['reviewing', 'surveys'],
    times: ['weekday-evening'],
    ways: ['online'],
    terms: ['Caring for a parent', 'Dementia'],
    notes: 'I look after my dad, who has dementia, and work full time.',
    payment: 'vouchers',
    joinedDaysAgo: 220,
    involvedDaysAgo: 95,
  },
  {
    name: 'Priya Raman',
    region: 'West Midlands',
    interests: ['events', 'groups'],
    times: ['weekend', 'weekday-evening'],
    ways: ['online', 'in-person'],
    terms: ['Diabetes', 'GP or primary care'],
    notes: 'Type 1 diabetes since I was nine; I help run a local peer support group.',
    payment: 'fee',
    joinedDaysAgo: 150,
  },
  {
    name: 'Dafydd Jones',
    region: 'Wales',
    interests: ['co-design'],
    times: ['weekday-daytime'],
    ways: ['in-person', 'phone'],
    terms: ['Heart or circulation condition'],
    accessNeeds: ['hearing-loop', 'papers-early'],
    accessNotes: 'I wear hearing aids; please face me when speaking.',
    payment: 'no-fee',
    joinedDaysAgo: 600,
    involvedDaysAgo: 420,
    source: 'imported',
  },
  {
    name: 'Grace Achterberg',
    region: 'South East England',
    interests: ['reviewing'],
    times: ['weekday-daytime', 'weekend'],
    ways: ['online'],
    terms: ['Cancer', 'Hospital care'],
    notes: 'Breast cancer survivor, five years clear. Interested in how results are given to patients.',
    payment: 'fee',
    joinedDaysAgo: 90,
    involvedDaysAgo: 12,
  },
  {
    name: 'Sam Whitlock',
    region: 'North West England',
    interests: ['surveys', 'events'],
    times: ['weekday-evening'],
    ways: ['online'],
    terms: ['Mental health condition', 'Mental health services'],
    notes: 'Experience of community mental health teams and a crisis line.',
    accessNeeds: ['quiet-space'],
    payment: 'vouchers',
    formats: ['easy-read'],
    joinedDaysAgo: 45,
  },
  {
    name: 'Harriet Bellamy',
    region: 'Yorkshire and the Humber',
    interests: ['groups', 'reviewing'],
    times: ['weekday-daytime'],
    ways: ['in-person'],
    terms: ['Caring for a child', 'Learning disability'],
    notes: 'Mum to a young man with a learning disability; we use social care every week.',
    accessNeeds: ['support-person'],
    payment: 'fee',
    joinedDaysAgo: 700,
    involvedDaysAgo: 200,
    source: 'imported',
  },
  {
    name: 'Kwame Mensah',
    region: 'East Midlands',
    interests: ['co-design', 'events'],
    times: ['weekend'],
    ways: ['in-person', 'online'],
    terms: ['Blood or organ donation', 'Sickle cell disorder'],
    notes: 'Regular blood donor; I talk to my church about donating.',
    payment: 'no-fee',
    joinedDaysAgo: 20,
  },
  {
    name: 'Eileen Doherty',
    region: 'Northern Ireland',
    interests: ['reviewing', 'surveys'],
    times: ['weekday-daytime'],
    ways: ['phone'],
    terms: ['Long COVID'],
    accessNeeds: ['breaks', 'papers-early'],
    accessNotes: 'Fatigue means mornings are best and meetings under an hour.',
    payment: 'fee',
    benefits: 'yes',
    formats: ['large-print'],
    joinedDaysAgo: 300,
    involvedDaysAgo: 60,
  },
  {
    name: 'Oliver Tan',
    region: 'East of England',
    interests: ['groups'],
    times: ['weekday-evening'],
    ways: ['online'],
    terms: ['Young carer', 'Caring for a parent'],
    notes: 'I cared for my mum while I was at school and now study nursing.',
    payment: 'vouchers',
    joinedDaysAgo: 10,
  },
];

// Accounts come from identity and consent records from data rights, through their services, in
// the seed's transaction; the profile and its lived experience are this feature's own.
export async function seedDemoContributors(db: Db | Tx, services: Pick<Services, 'identity' | 'dataRights'>) {
  const terms = await db.select().from(livedExperienceTerms);
  const termId = (label: string) => terms.find((t) => t.label === label)?.id;
  const day = 86_400_000;
  for (const [i, p] of demoPeople.entries()) {
    const joined = new Date(Date.now() - p.joinedDaysAgo * day);
    const id = `demo-contributor-${i + 1}`;
    const email = `${p.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
    const steps = Object.fromEntries(
      ['details', 'contact', 'lived-experience', 'interests', 'availability', 'access-needs', 'payment'].map((s) => [
        s,
        joined.toISOString(),
      ]),
    );
    const [made] = await services.identity.insertContributorAccounts(
      [{ id, name: p.name, email, emailVerified: p.source !== 'imported', createdAt: joined }],
      db,
    );
    if (!made) continue;
    await db
      .insert(contributorProfiles)
      .values({
        userId: id,
        preferredName: p.preferredName ?? null,
        contactMethods: ['email'],
        formats: p.formats ?? [],
        livedExperienceNotes: p.notes ?? null,
        interests: p.interests,
        availableTimes: p.times,
        availableWays: p.ways,
        region: p.region,
        accessNeeds: p.accessNeeds ?? [],
        accessNeedsNotes: p.accessNotes ?? null,
        paymentPreference: p.payment ?? null,
        receivesBenefits: p.benefits ?? null,
        completedSteps: steps,
        source: p.source ?? 'joined',
        lastInvolvedAt: p.involvedDaysAgo === undefined ? null : new Date(Date.now() - p.involvedDaysAgo * day),
        createdAt: joined,
        updatedAt: joined,
      })
      .onConflictDoNothing();
    const ids = p.terms.map(termId).filter((t): t is number => t !== undefined);
    if (ids.length)
      await db
        .insert(contributorLivedExperience)
        .values(ids.map((t) => ({ userId: id, termId: t })))
        .onConflictDoNothing();
    if (p.source === 'imported') {
      await services.dataRights.recordImportedConsents([{ userId: id, at: joined, source: 'Paper form at a community event' }], db);
    } else {
      await services.dataRights.recordConsent(id, { at: joined }, db);
    }
  }
}
