import type { Db, Tx } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createFinanceRepository, type MovedClaim } from './finance-repository.ts';

// Telling people that a whole export moved (sent to finance, paid). The step's transaction
// promises it with one queue job (it exists exactly when the step committed); the job then writes
// one email per person, a few hundred per transaction, each with a key of its own, so a retry or
// a second worker never sends anyone a second email. This keeps an export of 10,000 claims from
// 2,500 people inside its two seconds: writing their 2,500 emails takes 3 to 6 s on its own
// (npm run bench, BENCH_ONLY=finance).
export const TELL_PEOPLE_QUEUE = 'finance.tell-people';
export type TellPeopleJob = { exportId: number; status: 'exported' | 'paid' };
const PEOPLE_PER_TRANSACTION = 250;

type Recipient = { email: string; name: string; lang: Lang };

export async function promiseToTellPeople(ctx: FeatureContext, tx: Tx, job: TellPeopleJob) {
  await ctx.services.queue.send(TELL_PEOPLE_QUEUE, job, {
    tx,
    singletonKey: `finance-${job.exportId}-${job.status}`,
    retryLimit: 10,
    retryDelay: 10,
    retryBackoff: true,
  });
}

// Who to tell, in two queries for everyone (never one per person).
async function recipientsOf(ctx: FeatureContext, userIds: string[]): Promise<Map<string, Recipient>> {
  const { identity, profile } = ctx.services;
  const [accounts, facts] = await Promise.all([identity.accountsByIds(userIds), profile.matchFactsOf(userIds)]);
  const out = new Map<string, Recipient>();
  for (const [id, a] of accounts) out.set(id, { email: a.email, name: a.name, lang: facts.get(id)?.language === 'cy' ? 'cy' : 'en' });
  return out;
}

const keyOf = (job: TellPeopleJob, userId: string) => `finance-export-${job.exportId}-${job.status}-${userId}`;

// A person with one claim gets that claim's own email (the words every claim step uses); with
// several, one email naming them all. In their language.
async function tellOne(ctx: FeatureContext, tx: Db | Tx, job: TellPeopleJob, userId: string, to: Recipient, theirs: MovedClaim[]) {
  const org = await ctx.services.settings.get();
  const tr = ctx.i18n.translator(to.lang);
  const first = theirs[0]!;
  const one = theirs.length === 1;
  const words = one ? `claims.emails.${job.status}` : `finance.emails.${job.status}`;
  const values = {
    title: first.activityTitle,
    reference: theirs.map((c) => `C${c.id}`).join(', '),
    total: tr.money(theirs.reduce((sum, c) => sum + c.totalPence, 0)),
    paidOn: first.paidOn ? tr.date(new Date(`${first.paidOn}T12:00:00Z`)) : '',
  };
  const href = `${ctx.config.baseUrl}/profile/claims${one ? `/${first.id}` : ''}${to.lang === 'cy' ? '?lang=cy' : ''}`;
  await ctx.services.mail.enqueue(
    {
      to: to.email,
      lang: tr.lang,
      subject: tr.t(`${words}.subject`, values),
      heading: tr.t(`${words}.heading`, values),
      paragraphs: [tr.t('claims.emails.dear', { name: to.name }), tr.t(`${words}.text`, values)],
      action: { text: tr.t('claims.emails.action'), href },
      footer: [tr.t('claims.emails.footer', { org: org.name })],
    },
    { key: keyOf(job, userId), kind: `claim-${job.status}`, tx },
  );
}

// The queue job's work. People already emailed (an earlier attempt) are skipped without rendering.
export async function tellPeople(ctx: FeatureContext, job: TellPeopleJob): Promise<number> {
  const moved = await createFinanceRepository(ctx.db).movedIn(job.exportId, job.status);
  const byPerson = new Map<string, MovedClaim[]>();
  for (const c of moved) if (c.userId) byPerson.set(c.userId, [...(byPerson.get(c.userId) ?? []), c]);
  const done = await ctx.services.mail.acceptedKeys([...byPerson.keys()].map((id) => keyOf(job, id)));
  const waiting = [...byPerson].filter(([id]) => !done.has(keyOf(job, id)));
  const known = await recipientsOf(
    ctx,
    waiting.map(([id]) => id),
  );
  for (let i = 0; i < waiting.length; i += PEOPLE_PER_TRANSACTION) {
    await ctx.db.transaction(async (tx) => {
      for (const [userId, theirs] of waiting.slice(i, i + PEOPLE_PER_TRANSACTION)) {
        const to = known.get(userId);
        if (to) await tellOne(ctx, tx, job, userId, to, theirs);
      }
    });
  }
  return waiting.length;
}

export async function startTellingPeople(ctx: FeatureContext) {
  await ctx.services.queue.work<TellPeopleJob>(TELL_PEOPLE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await tellPeople(ctx, job.data);
  });
}
