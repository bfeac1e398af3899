import type { Db } from '#src/db/client.ts';
import { organisations } from './tables.ts';
import { ORGANISATION_PRIVACY_VERSION } from './schema.ts';

type DemoOrganisation = Omit<typeof organisations.$inferInsert, 'privacyNoticeVersion'>;

// The groups behind some of the demo story's comments, in our own words, and one registration
// still waiting for a decision. Addresses use the example.org and example.net domains and phone
// numbers the reserved drama ranges, so none is real.
const demoOrganisations: DemoOrganisation[] = [
  {
    name: "Northfield Citizens' Health Panel",
    kind: 'community',
    description:
      'Local residents who meet every month to look at health and care plans for Northfield and say what matters to the people who live there. Anyone who lives or works in the area can join.',
    area: 'Northfield and the surrounding villages',
    website: 'https://northfield-health-panel.example.org',
    contactName: 'Margaret Ellison',
    contactRole: 'Volunteer co-chair',
    contactEmail: 'margaret.ellison@example.org',
    contactPhone: '01632 960 214',
    status: 'approved',
    decidedAt: new Date('2026-10-01T10:00:00Z'),
  },
  {
    name: 'Voices Together Service User Network',
    kind: 'user-led',
    description:
      'A network run by and for people who use mental health services. Members speak at boards and conferences, train staff and review plans, and are paid for their time.',
    area: 'West Midlands',
    website: 'https://voices-together.example.net',
    contactName: 'Tunde Bakare',
    contactRole: 'Managing director',
    contactEmail: 'tunde.bakare@example.net',
    status: 'approved',
    decidedAt: new Date('2026-10-02T10:00:00Z'),
  },
  {
    name: 'Lakeside Cancer Support',
    kind: 'charity',
    description:
      'Practical and emotional support for people with cancer and their families, from diagnosis onwards. Its patient panel helps hospitals and researchers improve care.',
    area: 'Lakeside and the east of the county',
    website: 'https://lakeside-cancer-support.example.org',
    contactName: 'Siobhan Clarke',
    contactRole: 'Patient involvement lead',
    contactEmail: 'siobhan.clarke@example.org',
    status: 'approved',
    decidedAt: new Date('2026-10-05T10:00:00Z'),
  },
  {
    name: 'Ageing Well Together',
    kind: 'user-led',
    description:
      'A user-led group of older people. It runs coffee mornings, phone friendships and a members’ forum that tells local services what works for older people and what does not.',
    area: 'Riverside town centre',
    contactName: 'Ray Whitlock',
    contactRole: 'Coordinator',
    contactEmail: 'ray.whitlock@example.net',
    contactPhone: '01632 960 388',
    status: 'approved',
    decidedAt: new Date('2026-10-07T10:00:00Z'),
  },
  {
    // Registered in Welsh: its own words are shown as it wrote them, marked as Welsh.
    name: 'Cylch Iechyd Cwm Teg',
    kind: 'community',
    description:
      'Pobl leol sy’n cwrdd bob pythefnos i sgwrsio yn Gymraeg am iechyd a gofal yn y cwm, ac i ddweud wrth wasanaethau lleol beth sy’n bwysig i siaradwyr Cymraeg. Mae croeso cynnes i ddysgwyr hefyd.',
    area: 'Cwm Teg a’r cylch',
    website: 'https://cylch-cwm-teg.example.org',
    contactName: 'Gwenllian Prys',
    contactRole: 'Ysgrifennydd',
    contactEmail: 'gwenllian.prys@example.org',
    language: 'cy',
    status: 'approved',
    decidedAt: new Date('2026-10-09T10:00:00Z'),
  },
  {
    name: 'Riverside Young Carers Project',
    kind: 'social-enterprise',
    description: 'Breaks, activities and one-to-one support for children and young people aged 8 to 18 who look after someone at home.',
    area: 'Riverside',
    website: 'https://riverside-young-carers.example.org',
    contactName: 'Priya Nair',
    contactRole: 'Project manager',
    contactEmail: 'priya.nair@example.org',
    status: 'pending',
  },
];

export async function seedDemoOrganisations(db: Db) {
  await db
    .insert(organisations)
    .values(demoOrganisations.map((o) => ({ ...o, privacyNoticeVersion: ORGANISATION_PRIVACY_VERSION })))
    .onConflictDoNothing();
}
