import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { onePagePdf } from '#src/lib/demo-pdf.ts';
import type { SeedContext } from '#src/platform/feature.ts';
import { createClaimsRepository } from './claims-repository.ts';
import { feeFor, rateOn } from './money.ts';
import type { RecordRow } from './records-repository.ts';
import {
  claimEvents,
  claimExpenses,
  claims,
  financeExports,
  involvementRecords,
  rates,
  type ClaimStatus,
  type ExpenseKind,
  type FeeChoice,
} from './tables.ts';

// Demo content for a newcomer: an example rate card (with an older meeting rate, to show that a
// change never alters past claims), records written by hand beside the ones the demo meeting's
// attendance made, and claims in every status: paid, with finance, approved, waiting, returned for
// a missing receipt, rejected and a draft, one person declining the fee and one paid in vouchers.
// The people are the profile feature's demo contributors. Run twice, it adds nothing.

const day = 86_400_000;
const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString().slice(0, 10);
const email = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
const EXAMPLE = 'An example for the demo: check NIHR’s current payment guidance before setting your own rates.';

const rateCard = [
  { kind: 'meeting', name: 'Group meeting (per hour)', unit: 'hour', amountPence: 2000, effectiveFrom: '2024-04-06', note: EXAMPLE },
  { kind: 'meeting', name: 'Group meeting (per hour)', unit: 'hour', amountPence: 2500, effectiveFrom: '2025-04-06', note: EXAMPLE },
  {
    kind: 'workshop',
    name: 'Workshop or event (half day)',
    unit: 'half-day',
    amountPence: 7500,
    effectiveFrom: '2025-04-06',
    note: EXAMPLE,
  },
  {
    kind: 'speaking',
    name: 'Speaking at an event (half day)',
    unit: 'half-day',
    amountPence: 7500,
    effectiveFrom: '2025-04-06',
    note: EXAMPLE,
  },
  {
    kind: 'review',
    name: 'Reviewing a document (per review)',
    unit: 'task',
    amountPence: 5000,
    effectiveFrom: '2025-04-06',
    note: EXAMPLE,
  },
  {
    kind: 'mileage',
    name: 'Mileage by car',
    unit: 'mile',
    amountPence: 45,
    effectiveFrom: '2011-04-06',
    note: 'HMRC’s approved mileage rate for cars and vans: 45p a mile for the first 10,000 miles in a tax year.',
  },
] as const;

type Expense = { kind: ExpenseKind; description: string; amountPence?: number; miles?: number; receipt?: string };
// An export sent to finance (and perhaps paid), with the day each happened.
type DemoExport = { id: number; sentDaysAgo: number; paidDaysAgo: number | null };
type DemoClaim = { status: ClaimStatus; feeChoice: FeeChoice; expenses: Expense[]; note?: string; sent?: DemoExport };

async function seedRecords({ db, services }: SeedContext, who: Map<string, string>, lead: string | null) {
  const add = (
    name: string,
    row: Pick<RecordRow, 'title' | 'activityKind' | 'minutes' | 'units' | 'role' | 'difference'>,
    daysAgo: number,
  ) =>
    who.get(name)
      ? services.involvementRecords.add(
          { ...row, userId: who.get(name)!, source: 'manual', occurredOn: isoDay(daysAgo), leadUserId: lead, createdBy: lead },
          db,
        )
      : null;
  return {
    conference: await add(
      'Margaret Okafor',
      {
        title: 'Spoke at our annual conference: “What good involvement feels like”',
        activityKind: 'speaking',
        minutes: 210,
        units: 1,
        role: 'speaker',
        difference:
          'Two ward managers who heard you have since asked their patients to help rewrite the ward welcome pack. One said it was the first time she had heard a patient describe the emergency department from the trolley.',
      },
      40,
    ),
    leaflet: await add(
      'Tom Pritchard',
      {
        title: 'Reviewed the draft discharge leaflet',
        activityKind: 'review',
        minutes: 90,
        units: 1,
        role: 'reviewer',
        difference: 'The leaflet now starts with “Who to call tonight”, as you suggested, and the jargon list is gone.',
      },
      50,
    ),
    survey: await add(
      'Eileen Doherty',
      { title: 'Answered the outpatient letters survey', activityKind: null, minutes: 20, units: 1, role: 'member', difference: null },
      30,
    ),
    workshop: await add(
      'Kwame Mensah',
      { title: 'Waiting room design workshop', activityKind: 'workshop', minutes: 210, units: 1, role: 'member', difference: null },
      12,
    ),
  };
}

async function addClaim(ctx: SeedContext, record: RecordRow | null, c: DemoClaim, approver: string | null) {
  if (!record) return;
  const { db, services } = ctx;
  const repo = createClaimsRepository(db);
  const card = await db.select().from(rates);
  const account = await services.identity.findAccountById(record.userId, db);
  const payee = await repo.ensurePayee(record.userId, account?.name ?? 'Demo contributor', db);
  const rate = record.activityKind ? rateOn(card, record.activityKind, record.occurredOn) : null;
  const fee =
    rate && c.feeChoice !== 'declined' ? feeFor(rate.unit, rate.amountPence, record.minutes, record.units) : { quantity: 0, pence: 0 };
  const mileage = rateOn(card, 'mileage', record.occurredOn);
  const lines = c.expenses.map((e) => ({ ...e, amountPence: e.miles ? e.miles * mileage!.amountPence : e.amountPence! }));
  const expensesPence = lines.reduce((sum, l) => sum + l.amountPence, 0);
  const on = (extra: number) => new Date(new Date(`${record.occurredOn}T17:00:00Z`).getTime() + extra * day);
  const ago = (days: number) => new Date(Date.now() - days * day);
  const approved = ['approved', 'exported', 'paid'].includes(c.status);
  const paidDaysAgo = c.status === 'paid' ? (c.sent?.paidDaysAgo ?? null) : null;
  const [claim] = await db
    .insert(claims)
    .values({
      recordId: record.id,
      payeeId: payee.id,
      userId: record.userId,
      activityTitle: record.title,
      activityKind: record.activityKind,
      activityOn: record.occurredOn,
      groupName: record.groupName,
      leadUserId: record.leadUserId,
      feeChoice: c.feeChoice,
      feeRateId: c.feeChoice === 'declined' ? null : (rate?.id ?? null),
      feeQuantity: fee.quantity,
      feePence: fee.pence,
      expensesPence,
      totalPence: fee.pence + expensesPence,
      status: c.status,
      submittedAt: c.status === 'draft' ? null : on(1),
      approvedAt: approved ? on(3) : null,
      approvedBy: approved ? approver : null,
      exportId: c.sent?.id ?? null,
      paidOn: paidDaysAgo === null ? null : isoDay(paidDaysAgo),
      paymentReference: paidDaysAgo === null ? null : 'BACS-DEMO-0412',
      decisionNote: c.note ?? null,
      createdAt: on(1),
    })
    .returning();
  for (const l of lines) await addExpense(ctx, claim!.id, l, mileage?.id ?? null);
  const history: [ClaimStatus, Date, string | null][] = [];
  if (c.status !== 'draft') history.push(['submitted', on(1), null]);
  if (c.status === 'returned' || c.status === 'rejected') history.push([c.status, on(4), c.note ?? null]);
  if (approved) history.push(['approved', on(3), null]);
  if (c.sent) history.push(['exported', ago(c.sent.sentDaysAgo), null]);
  if (paidDaysAgo !== null) history.push(['paid', ago(paidDaysAgo), null]);
  if (history.length)
    await db.insert(claimEvents).values(
      history.map(([status, at, note]) => ({
        claimId: claim!.id,
        status,
        note,
        actorUserId: status === 'submitted' ? record.userId : approver,
        at,
      })),
    );
}

async function addExpense(
  { db, services }: SeedContext,
  claimId: number,
  l: Expense & { amountPence: number },
  mileageRateId: number | null,
) {
  let receipt = {};
  if (l.receipt) {
    const key = services.storage.newPrivateKey('pdf');
    const pdf = onePagePdf(l.receipt);
    await services.storage.put(key, pdf, 'application/pdf');
    receipt = { receiptKey: key, receiptName: 'receipt.pdf', receiptType: 'application/pdf', receiptBytes: pdf.length };
  }
  await db.insert(claimExpenses).values({
    claimId,
    kind: l.kind,
    description: l.description,
    miles: l.miles ?? null,
    rateId: l.miles ? mileageRateId : null,
    amountPence: l.amountPence,
    ...receipt,
  });
}

async function meetingRecord(db: Db | Tx, userId: string | undefined) {
  if (!userId) return null;
  const [r] = await db
    .select()
    .from(involvementRecords)
    .where(and(eq(involvementRecords.userId, userId), eq(involvementRecords.source, 'meeting')));
  return r ?? null;
}

export async function seedDemoInvolvement(ctx: SeedContext) {
  const { db, services } = ctx;
  if ((await db.select({ id: rates.id }).from(rates).limit(1)).length) return;
  await db.insert(rates).values([...rateCard]);
  const names = ['Margaret Okafor', 'Tom Pritchard', 'Eileen Doherty', 'Kwame Mensah', 'Dafydd Jones', 'Priya Natarajan'];
  // One at a time: seeding is one transaction, one connection, which runs one query at a time.
  const who = new Map<string, string>();
  for (const n of names) {
    const id = (await services.identity.findAccountByEmail(email(n), db))?.id;
    if (id) who.set(n, id);
  }
  const lead = who.get('Priya Natarajan') ?? null;
  await services.identity.staff.invite(
    { name: 'Owen Price', email: 'owen.price@example.org', role: 'finance', jobTitle: 'Finance officer', invitedBy: null },
    db,
  );
  const manual = await seedRecords(ctx, who, lead);
  const paid = await addExport(db, lead, 9, 7);
  const withFinance = await addExport(db, lead, 2, null);
  const plan = await claimPlan(db, who, manual, paid, withFinance);
  for (const [record, c] of plan) await addClaim(ctx, record, c, lead);
  // Each export's figures are the sum of its claims.
  for (const e of [paid, withFinance]) {
    const inExport = await db.select({ total: claims.totalPence }).from(claims).where(eq(claims.exportId, e.id));
    await db
      .update(financeExports)
      .set({ claimCount: inExport.length, totalPence: inExport.reduce((sum, r) => sum + r.total, 0) })
      .where(eq(financeExports.id, e.id));
  }
}

// Which claim each record has, in which status.
async function claimPlan(
  db: Db | Tx,
  who: Map<string, string>,
  manual: Awaited<ReturnType<typeof seedRecords>>,
  paid: DemoExport,
  withFinance: DemoExport,
) {
  const bus = {
    kind: 'public-transport',
    description: 'Return bus fare',
    amountPence: 640,
    receipt: 'Riverside Buses: return ticket, 6.40',
  } as const;
  const plan: [RecordRow | null, DemoClaim][] = [
    [
      manual.conference,
      {
        status: 'paid',
        feeChoice: 'fee',
        sent: paid,
        expenses: [{ kind: 'mileage', description: 'Home to the conference centre and back', miles: 18 }],
      },
    ],
    [
      await meetingRecord(db, who.get('Dafydd Jones')),
      {
        status: 'paid',
        feeChoice: 'declined',
        sent: paid,
        expenses: [
          {
            kind: 'care',
            description: 'Sitter for my mother during the meeting',
            amountPence: 3000,
            receipt: 'Home Sitters Cymru: 2 hours, 30.00',
          },
        ],
      },
    ],
    [await meetingRecord(db, who.get('Tom Pritchard')), { status: 'exported', feeChoice: 'vouchers', sent: withFinance, expenses: [] }],
    [
      await meetingRecord(db, who.get('Margaret Okafor')),
      {
        status: 'approved',
        feeChoice: 'fee',
        expenses: [
          { kind: 'mileage', description: 'Home to the Riverside Centre and back', miles: 12 },
          { kind: 'parking', description: 'Car park', amountPence: 350, receipt: 'Mill Lane car park: 3.50' },
        ],
      },
    ],
    [await meetingRecord(db, who.get('Eileen Doherty')), { status: 'submitted', feeChoice: 'fee', expenses: [bus] }],
    [
      manual.workshop,
      {
        status: 'returned',
        feeChoice: 'declined',
        note: 'Please add the receipt for the taxi: we can pay it as soon as we have it.',
        expenses: [{ kind: 'public-transport', description: 'Taxi home (no bus after 6pm)', amountPence: 1480 }],
      },
    ],
    [
      manual.survey,
      {
        status: 'rejected',
        feeChoice: 'fee',
        note: 'The survey was open to everyone and said it was unpaid, so we cannot pay a fee for it. Thank you for answering it.',
        expenses: [],
      },
    ],
    [manual.leaflet, { status: 'draft', feeChoice: 'vouchers', expenses: [] }],
  ];
  return plan;
}

async function addExport(db: Db | Tx, lead: string | null, sentDaysAgo: number, paidDaysAgo: number | null): Promise<DemoExport> {
  const [row] = await db
    .insert(financeExports)
    .values({
      createdBy: lead,
      createdAt: new Date(Date.now() - sentDaysAgo * day),
      claimCount: 0,
      totalPence: 0,
      paidOn: paidDaysAgo === null ? null : isoDay(paidDaysAgo),
      paymentReference: paidDaysAgo === null ? null : 'BACS-DEMO-0412',
      markedPaidBy: paidDaysAgo === null ? null : lead,
      markedPaidAt: paidDaysAgo === null ? null : new Date(Date.now() - paidDaysAgo * day),
    })
    .returning();
  return { id: row!.id, sentDaysAgo, paidDaysAgo };
}
