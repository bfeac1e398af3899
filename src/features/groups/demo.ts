import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { onePagePdf } from '#src/lib/demo-pdf.ts';
import { londonToUtc, utcToLondon } from './meetings-time.ts';
import type { MeetingNeed } from './meeting-needs.ts';
import {
  groupAnnouncements,
  groupDocuments,
  groupMembers,
  groups,
  meetingAccessRequests,
  meetingAttendance,
  meetingRegistrations,
  meetings,
} from './tables.ts';

// Demo content for a newcomer: Riverside Health Insight's lived experience group (public, with two
// co-chairs who chose to be named), a private co-design group formed from an opportunity's
// selected applicants, a past meeting with attendance and minutes, next week's meeting at an
// accessible venue with access requests (some arranged), an online workshop next month and an
// open afternoon anyone can come to. The people are the profile feature's demo contributors,
// found by their addresses. Run twice, it adds nothing.

const day = 86_400_000;
const email = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;

// A London date `days` from today at a London wall-clock time, as the instant it is.
const londonDay = (days: number) => utcToLondon(new Date(Date.now() + days * day)).date;
const at = (days: number, time: string) => londonToUtc(londonDay(days), time)!;

const venue = {
  venueName: 'Riverside Centre, Meeting Room 2',
  venueAddress: '4 Mill Lane, Riverside RV1 2AB',
  venueAccess: ['step-free', 'hearing-loop', 'accessible-toilet', 'quiet-room'],
  venueNotes:
    'The entrance on Mill Lane has a ramp and automatic doors. Meeting Room 2 is on the ground floor; the quiet room is next door.',
};

const livedExperiencePurpose = `We are people who use Riverside's services and people who care for them. We read what the
organisation is planning **before it is decided**, and say what would make it work for people like us.

- We meet every six weeks, in person at the Riverside Centre, with a way to join online.
- Papers arrive a week before each meeting, in large print or another format if you ask.
- Members are paid for their time and their travel is covered.`;

const coDesignPurpose = `Leaving hospital can mean a first night at home alone, unsure what to take, whom to call or what is normal.
This group of patients and carers is designing, with the discharge team, what should happen on that first night:
a checklist, a phone call and a leaflet that people will actually read.`;

const pastMinutes = `## Present
Margaret Okafor (co-chair), Dafydd Jones (co-chair), Tom Pritchard, Eileen Doherty, Kwame Mensah, and Joan Hartley as a guest.

## What we discussed
1. **The new appointment letters.** Members found the draft letters clearer than the old ones, but asked that the date and
   place come first and that the phone number be in large type.
2. **Waiting room screens.** The group asked for the screens to show how long the wait is, not only who is next.

## What happens next
- The communications team will send the revised letter to the group before the next meeting.
- Dafydd will bring feedback from the carers' café.`;

type Person = { id: string; name: string };

async function people(ctx: SeedContext, names: string[]) {
  const found = new Map<string, Person>();
  for (const name of names) {
    const account = await ctx.services.identity.findAccountByEmail(email(name), ctx.db);
    if (account) found.set(name, { id: account.id, name });
  }
  return found;
}

async function addMembers(
  db: Db | Tx,
  groupId: number,
  members: [Person | undefined, (typeof groupMembers.$inferInsert)['role'], boolean][],
) {
  const rows = members.flatMap(([p, role, shown]) =>
    p
      ? [
          {
            groupId,
            userId: p.id,
            role,
            source: 'opportunity' as const,
            showOnPublicPage: shown,
            joinedAt: new Date(Date.now() - 120 * day),
          },
        ]
      : [],
  );
  if (rows.length) await db.insert(groupMembers).values(rows);
}

type DemoRegistration = { person: Person | undefined; needs?: [MeetingNeed, string | null, boolean][]; attended?: boolean };

async function register(db: Db | Tx, meeting: typeof meetings.$inferSelect, list: DemoRegistration[]) {
  for (const r of list) {
    if (!r.person) continue;
    const needs = r.needs ?? [];
    const [row] = await db
      .insert(meetingRegistrations)
      .values({
        meetingId: meeting.id,
        userId: r.person.id,
        status: 'registered',
        listedAt: new Date(meeting.createdAt.getTime() + day),
        language: r.person.name === 'Dafydd Jones' ? 'cy' : 'en',
        largePrint: needs.some(([n]) => n === 'large-print'),
        papersEarly: needs.some(([n]) => n === 'papers-early'),
      })
      .returning();
    if (needs.length)
      await db.insert(meetingAccessRequests).values(
        needs.map(([need, detail, arranged]) => ({
          registrationId: row!.id,
          need,
          detail,
          arrangedAt: arranged ? new Date(Date.now() - 2 * day) : null,
          arrangedNote: arranged ? 'Booked and confirmed with the venue.' : null,
          toldAt: arranged ? new Date(Date.now() - 2 * day) : null,
        })),
      );
    if (r.attended && meeting.endsAt < new Date())
      await db.insert(meetingAttendance).values({
        meetingId: meeting.id,
        userId: r.person.id,
        role: ['Margaret Okafor', 'Dafydd Jones'].includes(r.person.name) ? 'co-chair' : 'member',
        attendedOn: utcToLondon(meeting.startsAt).date,
        minutes: Math.round((meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 60_000),
      });
  }
}

async function addMeeting(db: Db | Tx, values: Omit<typeof meetings.$inferInsert, 'agendaHtml'>) {
  const [row] = await db
    .insert(meetings)
    .values({
      ...values,
      agendaHtml: renderMarkdown(values.agendaMarkdown ?? ''),
      createdAt: new Date(values.startsAt.getTime() - 30 * day),
    })
    .returning();
  return row!;
}

type Cast = { p: Map<string, Person>; staffLead: Person | undefined; panelId: number; codesignId: number };

export async function seedDemoGroups(ctx: SeedContext) {
  if ((await ctx.db.select({ id: groups.id }).from(groups).where(eq(groups.slug, 'lived-experience-group'))).length) return;
  const cast = await seedGroups(ctx);
  await announce(ctx.db, cast);
  await seedPastMeeting(ctx, cast);
  await seedNextWeek(ctx, cast);
  await seedLaterMeetings(ctx.db, cast);
}

// The two groups and their members.
async function seedGroups(ctx: SeedContext): Promise<Cast> {
  const { db, services } = ctx;
  const lead = await services.identity.staff.invite(
    { name: 'Priya Natarajan', email: 'priya.natarajan@example.org', role: 'involvement', jobTitle: 'Involvement lead', invitedBy: null },
    db,
  );
  const p = await people(ctx, [
    'Margaret Okafor',
    'Dafydd Jones',
    'Tom Pritchard',
    'Eileen Doherty',
    'Harriet Bellamy',
    'Sam Whitlock',
    'Kwame Mensah',
    'Priya Raman',
    'Oliver Tan',
    'Grace Achterberg',
  ]);
  const staffLead = lead ? { id: lead.userId, name: 'Priya Natarajan' } : undefined;
  const [panel] = await db
    .insert(groups)
    .values({
      slug: 'lived-experience-group',
      kind: 'lived-experience',
      name: 'Lived Experience Group',
      purposeMarkdown: livedExperiencePurpose,
      purposeHtml: renderMarkdown(livedExperiencePurpose),
      visibility: 'public',
      startsOn: londonDay(-400),
      leadUserId: staffLead?.id ?? null,
      translations: {
        cy: {
          name: 'Grŵp Profiad Bywyd',
          purposeMarkdown:
            'Rydym yn bobl sy’n defnyddio gwasanaethau Riverside a phobl sy’n gofalu amdanynt. Rydym yn darllen cynlluniau’r sefydliad **cyn i benderfyniad gael ei wneud**, ac yn dweud beth fyddai’n gweithio i bobl fel ni.',
        },
      },
    })
    .returning();
  await addMembers(db, panel!.id, [
    [p.get('Margaret Okafor'), 'co-chair', true],
    [p.get('Dafydd Jones'), 'co-chair', true],
    [p.get('Tom Pritchard'), 'member', true],
    [p.get('Eileen Doherty'), 'member', false],
    [p.get('Harriet Bellamy'), 'member', false],
    [p.get('Sam Whitlock'), 'member', false],
    [p.get('Kwame Mensah'), 'member', false],
    [staffLead, 'staff-lead', true],
  ]);

  const [codesign] = await db
    .insert(groups)
    .values({
      slug: 'first-night-at-home-co-design-group',
      kind: 'co-design',
      name: 'First night at home: co-design group',
      purposeMarkdown: coDesignPurpose,
      purposeHtml: renderMarkdown(coDesignPurpose),
      visibility: 'private',
      startsOn: londonDay(-60),
      endsOn: londonDay(120),
      leadUserId: staffLead?.id ?? null,
    })
    .returning();
  await addMembers(db, codesign!.id, [
    [p.get('Priya Raman'), 'chair', false],
    [p.get('Oliver Tan'), 'member', false],
    [p.get('Eileen Doherty'), 'member', false],
    [p.get('Grace Achterberg'), 'member', false],
    [staffLead, 'staff-lead', false],
  ]);
  return { p, staffLead, panelId: panel!.id, codesignId: codesign!.id };
}

async function announce(db: Db | Tx, { staffLead, panelId }: Cast) {
  await db.insert(groupAnnouncements).values({
    groupId: panelId,
    title: 'Papers for next week’s meeting',
    bodyMarkdown: 'The draft discharge leaflet is in Documents. If you asked for large print or papers by post, they went out yesterday.',
    bodyHtml: renderMarkdown(
      'The draft discharge leaflet is in Documents. If you asked for large print or papers by post, they went out yesterday.',
    ),
    createdBy: staffLead?.id ?? null,
    emailedTo: 7,
    createdAt: new Date(Date.now() - day),
  });
}

// Three weeks ago: attended, with a walk-in, and minutes published to everyone.
async function seedPastMeeting({ db, services }: SeedContext, { p, panelId, staffLead }: Cast) {
  const came = ['Margaret Okafor', 'Dafydd Jones', 'Tom Pritchard', 'Eileen Doherty', 'Kwame Mensah'].flatMap((n) => p.get(n) ?? []);
  const past = await addMeeting(db, {
    groupId: panelId,
    title: 'Autumn meeting: appointment letters and waiting rooms',
    agendaMarkdown: '1. Welcome and introductions\n2. The new appointment letters\n3. Waiting room screens\n4. Anything else',
    startsAt: at(-21, '14:00'),
    endsAt: at(-21, '16:00'),
    mode: 'in-person',
    ...venue,
    capacity: 12,
    registration: 'members',
    minutesMarkdown: pastMinutes,
    minutesHtml: renderMarkdown(pastMinutes),
    minutesPublishedAt: new Date(Date.now() - 14 * day),
    minutesPublic: true,
    attendanceRecordedAt: new Date(Date.now() - 20 * day),
  });
  await register(
    db,
    past,
    came.map((person) => ({ person, attended: true })),
  );
  await db.insert(meetingAttendance).values({
    meetingId: past.id,
    walkInName: 'Joan Hartley',
    walkIn: true,
    role: 'guest',
    attendedOn: londonDay(-21),
    minutes: 120,
  });
  // Their attendance as involvement records, as recording it on the staff page makes them.
  await services.involvementRecords.syncSource(
    {
      source: 'meeting',
      sourceId: past.id,
      title: past.title,
      path: `/meetings/${past.id}`,
      activityKind: 'meeting',
      groupId: panelId,
      groupName: 'Lived Experience Group',
      leadUserId: staffLead?.id ?? null,
      recordedBy: staffLead?.id ?? null,
      people: came.map((person) => ({
        userId: person.id,
        occurredOn: londonDay(-21),
        minutes: 120,
        role: ['Margaret Okafor', 'Dafydd Jones'].includes(person.name) ? 'co-chair' : 'member',
      })),
    },
    db,
  );
}

// Next week at the Riverside Centre: papers (one in large print) and access requests, some arranged.
async function seedNextWeek({ db, services }: SeedContext, { p, staffLead, panelId }: Cast) {
  const nextWeek = await addMeeting(db, {
    groupId: panelId,
    title: 'Planning the new discharge leaflet',
    agendaMarkdown:
      '1. Welcome\n2. **The draft discharge leaflet**: what is clear, what is missing\n3. How people should get the leaflet, and when\n4. Dates for next year',
    startsAt: at(7, '10:30'),
    endsAt: at(7, '12:30'),
    mode: 'in-person',
    ...venue,
    capacity: 12,
    registration: 'members',
    registrationClosesAt: at(5, '17:00'),
    papersEarlyOn: londonDay(0),
  });
  for (const [title, largePrint] of [
    ['Draft discharge leaflet', false],
    ['Draft discharge leaflet (large print)', true],
  ] as const) {
    const key = services.storage.newPrivateKey('pdf');
    const pdf = onePagePdf(title);
    await services.storage.put(key, pdf, 'application/pdf');
    await db.insert(groupDocuments).values({
      groupId: panelId,
      meetingId: nextWeek.id,
      title,
      fileName: `${title
        .toLowerCase()
        .replace(/[^a-z]+/g, '-')
        .replace(/-$/, '')}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      storageKey: key,
      largePrint,
      uploadedBy: staffLead?.id ?? null,
    });
  }
  await register(db, nextWeek, [
    { person: p.get('Margaret Okafor') },
    {
      person: p.get('Dafydd Jones'),
      needs: [
        ['hearing-loop', null, true],
        ['papers-early', null, true],
      ],
    },
    { person: p.get('Sam Whitlock'), needs: [['bsl-interpreter', null, false]] },
    { person: p.get('Harriet Bellamy'), needs: [['carer-attends', 'My husband comes with me and will need a seat beside me.', false]] },
    { person: p.get('Tom Pritchard'), needs: [['dietary', 'Vegetarian', true]] },
  ]);
}

// The co-design group's online workshop next month, and an open afternoon anyone can come to.
async function seedLaterMeetings(db: Db | Tx, { p, codesignId }: Cast) {
  const workshop = await addMeeting(db, {
    groupId: codesignId,
    title: 'Co-design workshop 3: the first-night checklist',
    agendaMarkdown: '1. What we heard from the discharge team\n2. Sorting the checklist: must have, nice to have\n3. Who rings, and when',
    startsAt: at(30, '18:00'),
    endsAt: at(30, '19:30'),
    mode: 'online',
    joinUrl: 'https://meet.example.org/riverside-first-night',
    joinLinkOpensMinutes: 30,
    registration: 'members',
  });
  await register(db, workshop, [
    { person: p.get('Priya Raman'), needs: [['captions', null, true]] },
    { person: p.get('Oliver Tan') },
    { person: p.get('Grace Achterberg'), needs: [['breaks', null, false]] },
  ]);

  const openAfternoon = await addMeeting(db, {
    groupId: null,
    title: 'Open afternoon: what happens to what you tell us',
    agendaMarkdown:
      'Come and hear what changed this year because patients and carers spoke up, meet the Lived Experience Group, and tell us what we should look at next. Tea and cake provided.',
    startsAt: at(35, '13:00'),
    endsAt: at(35, '15:30'),
    mode: 'hybrid',
    ...venue,
    venueName: 'Riverside Centre, main hall',
    venueAccess: ['step-free', 'hearing-loop', 'accessible-toilet', 'quiet-room', 'parking'],
    joinUrl: 'https://meet.example.org/riverside-open-afternoon',
    capacity: 60,
    registration: 'open',
    translations: { cy: { title: 'Prynhawn agored: beth sy’n digwydd i’r hyn rydych yn ei ddweud wrthym' } },
  });
  await register(db, openAfternoon, [
    { person: p.get('Kwame Mensah'), needs: [['step-free', null, false]] },
    { person: p.get('Eileen Doherty') },
  ]);
}
