import type { Db, Tx } from '#src/db/client.ts';
import type { Services } from '#src/platform/services.ts';
import { comments } from './tables.ts';

type DemoComment = {
  key: string;
  replyTo?: string;
  name: string;
  jobTitle?: string;
  organisation?: string;
  email: string;
  ip: string;
  at: string;
  staff?: boolean;
  pending?: boolean;
  // The language it is written in, when not English (its text is marked so on English pages).
  language?: 'cy';
  body: string;
};

// Our own words, in the voices of the people an involvement story draws. Addresses are from the
// ranges reserved for documentation, so none is real.
export const demoComments: DemoComment[] = [
  {
    key: 'margaret',
    name: 'Margaret Ellison',
    jobTitle: 'Volunteer co-chair',
    organisation: "Northfield Citizens' Health Panel",
    email: 'margaret.ellison@example.org',
    ip: '192.0.2.14',
    at: '2026-10-28T09:14:00Z',
    body: 'Thank you for writing this so honestly. On our panel we have seen the shift you describe. Five years ago we were asked to comment on finished reports; this year we helped choose the questions.\n\nWhat still makes the biggest difference is hearing back. When people give their time and never find out what changed, they stop coming. I would love to see the "you said, we did" log become a habit rather than a project.',
  },
  {
    key: 'tunde',
    replyTo: 'margaret',
    name: 'Tunde Bakare',
    jobTitle: 'Managing director',
    organisation: 'Voices Together Service User Network',
    email: 'tunde.bakare@example.net',
    ip: '198.51.100.23',
    at: '2026-10-29T13:40:00Z',
    body: 'Margaret is right about hearing back. I would add money. Paying people properly and promptly, and being clear about what a fee means for their benefits, is part of respect, not an extra. We have lost brilliant members because an expenses claim took three months.',
  },
  {
    key: 'amara',
    replyTo: 'tunde',
    name: 'Dr Amara Okafor',
    jobTitle: 'Director of Public Involvement',
    email: 'amara.okafor@example.org',
    ip: '203.0.113.5',
    at: '2026-10-30T10:05:00Z',
    staff: true,
    body: 'Thank you both. Tunde, you are right, and we have been too slow. From January we will pay fees within 10 working days of an activity, and we will publish how long we actually take.\n\nMargaret, we will update the "you said, we did" log every month. When we have not managed to change something, we will say so and explain why.',
  },
  {
    key: 'margaret-again',
    replyTo: 'amara',
    name: 'Margaret Ellison',
    jobTitle: 'Volunteer co-chair',
    organisation: "Northfield Citizens' Health Panel",
    email: 'margaret.ellison@example.org',
    ip: '192.0.2.14',
    at: '2026-10-30T18:22:00Z',
    body: 'Ten working days would make a real difference to our members. We will hold you to the monthly update!',
  },
  {
    key: 'helen',
    name: 'Helen Forsyth',
    jobTitle: 'Donor engagement manager',
    organisation: 'Midlands Blood and Transplant Service',
    email: 'helen.forsyth@example.org',
    ip: '198.51.100.61',
    at: '2026-11-02T08:47:00Z',
    body: 'Much of this matches our experience of involving donors and the people who receive blood. Our biggest change came when we stopped asking "how do we get people to our meetings?" and started going to theirs. It takes longer and the notes are messier, but the ideas are better.',
  },
  {
    key: 'siobhan',
    name: 'Siobhan Clarke',
    jobTitle: 'Patient involvement lead',
    organisation: 'Lakeside Cancer Support',
    email: 'siobhan.clarke@example.org',
    ip: '203.0.113.77',
    at: '2026-11-05T14:10:00Z',
    body: 'Could you say more about how you decide who to involve? We find the same small group of confident people are asked again and again. We miss people in the middle of treatment, people who work shifts and people whose first language is not English. Paying for care cover and offering evening sessions has helped, but only a little.',
  },
  {
    key: 'ray',
    replyTo: 'siobhan',
    name: 'Ray Whitlock',
    jobTitle: 'Coordinator',
    organisation: 'Ageing Well Together, a user-led group of older people',
    email: 'ray.whitlock@example.net',
    ip: '192.0.2.88',
    at: '2026-11-06T11:32:00Z',
    body: 'Siobhan, one thing that worked for us: ask each member to bring along someone who has never been involved before, and pay them both. And not everything has to be online. A phone call and a paper copy in the post still reach people that a survey link never will.',
  },
  {
    key: 'alex',
    name: 'Alex Turner',
    email: 'alex.turner@example.net',
    ip: '198.51.100.140',
    at: '2026-11-09T20:15:00Z',
    body: 'I use mental health services, and I have sat on panels where I felt like a box being ticked. Reading this, I think the difference is being involved early, before the decisions are made. Please keep writing about what went wrong as well as what went right.',
  },
  {
    key: 'grace',
    replyTo: 'alex',
    name: 'Grace Adeyemi',
    jobTitle: 'Peer support worker',
    organisation: 'Hillside Recovery College',
    email: 'grace.adeyemi@example.org',
    ip: '203.0.113.190',
    at: '2026-11-10T09:58:00Z',
    body: 'Alex, "a box being ticked" is how many of our students describe it too. What helped us was shared chairing: every group has a chair with lived experience alongside a staff chair, and they set the agenda together.',
  },
  {
    key: 'naomi',
    name: 'Naomi Fletcher',
    jobTitle: 'Unpaid carer',
    email: 'naomi.fletcher@example.net',
    ip: '192.0.2.201',
    at: '2026-11-12T16:44:00Z',
    body: 'Carers are easy to forget in all this. I look after my dad, who has dementia, so I can only join something if it is short and flexible and I can leave when I need to. Being able to send my thoughts by email instead of attending has meant I still have a say.',
  },
  {
    key: 'gwenllian',
    name: 'Gwenllian Rees',
    jobTitle: 'Cydlynydd cyfranogiad',
    organisation: 'Llais Cleifion Dyffryn Conwy',
    email: 'gwenllian.rees@example.org',
    ip: '203.0.113.52',
    at: '2026-11-14T10:21:00Z',
    language: 'cy',
    body: "Diolch am rannu hyn mor onest. Rydyn ni wedi dysgu bod cynnig i bobl gymryd rhan yn Gymraeg o'r dechrau yn newid pwy sy'n dod. Mae pobl yn fwy parod i sôn am eu profiad yn yr iaith maen nhw'n ei defnyddio bob dydd.\n\nByddai'n dda gweld eich grŵp profiad bywyd yn cynnig hynny hefyd.",
  },
  {
    key: 'chris',
    name: 'Chris Hallam',
    jobTitle: 'Practice manager',
    organisation: 'Brookside Surgery',
    email: 'chris.hallam@example.org',
    ip: '198.51.100.9',
    at: '2026-11-18T12:03:00Z',
    pending: true,
    body: 'Is there a guide for small organisations, like GP practices, that want to start a patient participation group? Much of this seems to assume a large team. We have one practice manager and a lot of goodwill.',
  },
];

// Comments on the demo story, which the stories feature seeds first.
export async function seedDemoComments(db: Db | Tx, services: Pick<Services, 'stories'>, log: (msg: string) => void): Promise<void> {
  const storyId = await services.stories.demoStoryId(db);
  if (!storyId) {
    log('comments: no demo story to comment on; skipping demo comments');
    return;
  }
  const ids = new Map<string, number>();
  for (const c of demoComments) {
    const at = new Date(c.at);
    const [row] = await db
      .insert(comments)
      .values({
        targetType: 'story',
        targetId: storyId,
        parentId: c.replyTo ? ids.get(c.replyTo)! : null,
        authorName: c.name,
        authorJobTitle: c.jobTitle ?? null,
        authorOrganisation: c.organisation ?? null,
        authorEmail: c.email,
        authorIsStaff: c.staff ?? false,
        body: c.body,
        language: c.language ?? 'en',
        status: c.pending ? 'pending' : 'approved',
        ipAddress: c.ip,
        createdAt: at,
        moderatedAt: c.pending ? null : new Date(at.getTime() + 3 * 60 * 60 * 1000),
      })
      .returning({ id: comments.id });
    ids.set(c.key, row!.id);
  }
  log(`comments: seeded ${demoComments.length} demo comments`);
}
