import type { Tx } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { MovedClaim } from './finance-repository.ts';

export type Recipient = { email: string; name: string; lang: Lang };

// Who to tell, read in two queries before a step's transaction (the people with claims waiting),
// so thousands of claims moved at once never cost a query per person.
export async function recipientsOf(ctx: FeatureContext, userIds: string[]): Promise<Map<string, Recipient>> {
  const { identity, profile } = ctx.services;
  const [accounts, facts] = await Promise.all([identity.accountsByIds(userIds), profile.matchFactsOf(userIds)]);
  const out = new Map<string, Recipient>();
  for (const [id, a] of accounts) out.set(id, { email: a.email, name: a.name, lang: facts.get(id)?.language === 'cy' ? 'cy' : 'en' });
  return out;
}

// Someone whose claim was approved after the list above was read: looked up in the transaction.
async function lookUp(ctx: FeatureContext, userId: string, tx: Tx): Promise<Recipient | null> {
  const account = await ctx.services.identity.findAccountById(userId, tx);
  if (!account) return null;
  const lang = (await ctx.services.profile.profile(userId, tx))?.language === 'cy' ? 'cy' : 'en';
  return { email: account.email, name: account.name, lang };
}

// One email per person for a step taken on a whole export ('exported' or 'paid'), in their
// language, enqueued in the step's transaction: a person with one claim gets the claim's own
// email (the words every claim step uses); with several, one email naming them all.
export async function tellEachPerson(
  ctx: FeatureContext,
  tx: Tx,
  step: { status: 'exported' | 'paid'; exportId: number },
  moved: MovedClaim[],
  known: Map<string, Recipient>,
) {
  const byPerson = new Map<string, MovedClaim[]>();
  for (const c of moved) if (c.userId) byPerson.set(c.userId, [...(byPerson.get(c.userId) ?? []), c]);
  const org = await ctx.services.settings.get();
  const base = ctx.config.baseUrl;
  for (const [userId, theirs] of byPerson) {
    const to = known.get(userId) ?? (await lookUp(ctx, userId, tx));
    if (!to) continue;
    const tr = ctx.i18n.translator(to.lang);
    const first = theirs[0]!;
    const one = theirs.length === 1;
    const words = one ? `claims.emails.${step.status}` : `finance.emails.${step.status}`;
    const values = {
      title: first.activityTitle,
      reference: one ? `C${first.id}` : theirs.map((c) => `C${c.id}`).join(', '),
      total: tr.money(theirs.reduce((sum, c) => sum + c.totalPence, 0)),
      paidOn: first.paidOn ? tr.date(new Date(`${first.paidOn}T12:00:00Z`)) : '',
    };
    const lang = to.lang === 'cy' ? '?lang=cy' : '';
    await ctx.services.mail.enqueue(
      {
        to: to.email,
        lang: tr.lang,
        subject: tr.t(`${words}.subject`, values),
        heading: tr.t(`${words}.heading`, values),
        paragraphs: [tr.t('claims.emails.dear', { name: to.name }), tr.t(`${words}.text`, values)],
        action: { text: tr.t('claims.emails.action'), href: `${base}/profile/claims${one ? `/${first.id}` : ''}${lang}` },
        footer: [tr.t('claims.emails.footer', { org: org.name })],
      },
      { key: `finance-export-${step.exportId}-${step.status}-${userId}`, kind: `claim-${step.status}`, tx },
    );
  }
}
