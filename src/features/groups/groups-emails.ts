import type { Tx } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { emailFromWords } from '#src/platform/mail/words.ts';
import type { GroupRow } from './groups-repository.ts';

// The emails of the groups area, each in the recipient's language and enqueued in the caller's
// transaction (so it goes exactly when the change commits).

export type Recipient = { userId: string; email: string; name: string; lang: Lang };

const nameIn = (g: GroupRow, lang: Lang) => (lang !== 'en' && g.translations?.[lang]?.name) || g.name;

// The language each person chose for our emails (English until they choose).
export async function recipients(ctx: FeatureContext, people: { id: string; email: string; name: string }[]): Promise<Recipient[]> {
  return Promise.all(
    people.map(async (p) => {
      const profile = await ctx.services.profile.profile(p.id);
      const lang = profile?.language === 'cy' ? 'cy' : 'en';
      return { userId: p.id, email: p.email, name: p.name, lang };
    }),
  );
}

export async function sendAdded(ctx: FeatureContext, tx: Tx, g: GroupRow, people: Recipient[]) {
  for (const p of people) {
    const tr = ctx.i18n.translator(p.lang);
    const email = emailFromWords(tr, p.email, {
      words: 'groups.emails.added',
      paragraphs: ['dear', 'added', 'choices'],
      values: { name: p.name, group: nameIn(g, p.lang) },
      href: `${ctx.config.baseUrl}/groups/${g.slug}`,
    });
    await ctx.services.mail.enqueue(email, { key: `group-added-${g.id}-${p.userId}-${Date.now()}`, kind: 'group-member-added', tx });
  }
}

export async function sendInvitation(
  ctx: FeatureContext,
  tx: Tx,
  g: GroupRow,
  to: { email: string; lang: Lang; token: string; invitationId: number },
) {
  const tr = ctx.i18n.translator(to.lang);
  const email = emailFromWords(tr, to.email, {
    words: 'groups.emails.invitation',
    paragraphs: ['intro', 'purpose', 'expires'],
    values: { group: nameIn(g, to.lang) },
    href: `${ctx.config.baseUrl}/groups/invitations/${to.token}`,
  });
  await ctx.services.mail.enqueue(email, { key: `group-invitation-${to.invitationId}`, kind: 'group-invitation', tx });
}

export async function sendAnnouncement(
  ctx: FeatureContext,
  tx: Tx,
  g: GroupRow,
  a: { id: number; title: string; bodyMarkdown: string },
  people: Recipient[],
) {
  for (const p of people) {
    const tr = ctx.i18n.translator(p.lang);
    const email = emailFromWords(tr, p.email, {
      words: 'groups.emails.announcement',
      paragraphs: ['intro'],
      values: { group: nameIn(g, p.lang), title: a.title },
      href: `${ctx.config.baseUrl}/groups/${g.slug}#announcements`,
    });
    await ctx.services.mail.enqueue(
      { ...email, quote: a.bodyMarkdown },
      { key: `group-announcement-${a.id}-${p.userId}`, kind: 'group-announcement', tx },
    );
  }
}
