import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Candidate } from '#src/features/profile/service.ts';
import { createMatchAlerts } from './match-alerts.ts';
import { createMatchRepository } from './match-repository.ts';
import { reasonWords, termsById } from './match-words.ts';
import { interestForType, reasonsToMatch, type Opportunity } from './matching.ts';
import { EmailChoicesSchema, InviteSchema } from './match-schema.ts';

// At most this many suggestions are shown (with how many fit in all).
export const SUGGESTIONS_SHOWN = 50;
const E = 'opportunity-matches.invitation.email';

export type Suggestion = Candidate & { reasons: string[] };

// Matching people and opportunities (issue 11): a contributor's choices about opportunity emails,
// the daily alerts (match-alerts.ts), and the people staff may invite to apply.
export function createMatchService(db: Db, ctx: FeatureContext) {
  const repo = createMatchRepository(db);
  const alerts = createMatchAlerts(db, ctx, repo);
  const { audit, mail, profile, identity, settings } = ctx.services;

  async function change(userId: string, want: { alerts?: boolean; invitations?: boolean }, via: 'page' | 'email-link', now: Date) {
    await db.transaction(async (tx) => {
      const had = await repo.choices(userId, tx);
      if (want.alerts !== undefined && want.alerts !== had.alerts) {
        await repo.setAlerts(userId, want.alerts, now, tx);
        await repo.recordChoice(userId, 'alerts', want.alerts, via, now, tx);
      }
      if (want.invitations !== undefined && want.invitations !== had.invitations) {
        await repo.setInvitations(userId, want.invitations, now, tx);
        await repo.recordChoice(userId, 'invitations', want.invitations, via, now, tx);
      }
    });
  }

  // The people who fit an opportunity and may be invited: never those who opted out of
  // invitations, applied or were already invited.
  async function candidates(o: Opportunity, opts: { only?: string[]; limit: number }) {
    const [optedOut, already, terms] = await Promise.all([repo.optedOut(), repo.appliedOrInvited(o.id), profile.terms(false)]);
    const live = new Set(terms.map((t) => t.id));
    return profile.matchCandidates({
      termIds: o.soughtTermIds.filter((id) => live.has(id)),
      interest: interestForType[o.type],
      region: o.region,
      mode: o.mode,
      excludeUserIds: [...optedOut, ...already],
      onlyUserIds: opts.only,
      limit: opts.limit,
    });
  }

  async function ranked(o: Opportunity): Promise<{ total: number; items: Suggestion[] }> {
    const [found, terms] = await Promise.all([candidates(o, { limit: SUGGESTIONS_SHOWN }), profile.terms(true)]);
    const tr = ctx.i18n.translator('en');
    const byId = termsById(terms);
    return { total: found.total, items: found.items.map((c) => ({ ...c, reasons: reasonWords(reasonsToMatch(o, c), byId, tr, 'staff') })) };
  }

  return {
    choices: (userId: string) => repo.choices(userId),

    async saveChoices(user: CurrentUser, form: unknown, now = new Date()): Promise<Result> {
      const v = validateForm(EmailChoicesSchema, form);
      if (!v.ok) return v;
      await change(
        user.id,
        { alerts: v.value.choices.includes('alerts'), invitations: v.value.choices.includes('invitations') },
        'page',
        now,
      );
      return ok();
    },

    // The stop link in an alert email: whose alerts it stops, or null for a link that is not ours.
    stopTokenOwner: (token: unknown) => alerts.tokens.verify(token),
    async stopAlerts(token: unknown, now = new Date()): Promise<boolean> {
      const userId = alerts.tokens.verify(token);
      if (!userId || !(await identity.accountsByIds([userId])).size) return false;
      await change(userId, { alerts: false }, 'email-link', now);
      return true;
    },
    stopLink: (userId: string) => `/opportunity-alerts/stop/${alerts.tokens.sign(userId)}`,

    sendDueAlerts: (now = new Date(), batchSize?: number) => alerts.sendDue(now, batchSize),

    // For "Download my data": the choices, their history and the invitations received.
    async exportFor(userId: string) {
      const [now, history, invitations] = await Promise.all([repo.choices(userId), repo.history(userId), repo.invitationsOf(userId)]);
      return {
        ...now,
        changes: history.map((h) => ({ at: h.at.toISOString(), choice: h.choice, turnedOn: h.turnedOn, via: h.via })),
        invitationsReceived: invitations.map((i) => ({ opportunity: i.opportunity.title, invitedAt: i.invitedAt.toISOString() })),
      };
    },

    // Invitations the person has not acted on yet, for their applications page.
    async openInvitations(userId: string) {
      return (await repo.invitationsOf(userId)).filter((i) => !i.applied && i.opportunity.status === 'open');
    },

    // Suggestions, ranked, with the reasons in words (staff read them: English).
    ranked,

    // Suggestions for staff; each person shown is a staff view of a profile, audited as one.
    async suggestions(actor: CurrentUser, o: Opportunity): Promise<{ total: number; items: Suggestion[] }> {
      const found = await ranked(o);
      if (found.items.length) {
        await db.transaction(async (tx) => {
          for (const c of found.items)
            await audit.record(
              { actorUserId: actor.id, subjectUserId: c.userId, action: 'opportunity.suggestions-viewed', details: { opportunity: o.id } },
              tx,
            );
        });
      }
      return found;
    },

    // Staff invite the people they ticked: each still a suggestion gets an email in their language
    // with a link to the opportunity, and a row; the invitation is audited with the count.
    async invite(actor: CurrentUser, o: Opportunity, form: unknown, now = new Date()): Promise<Result<{ invited: number }>> {
      if (o.status !== 'open') return invalid({ people: msg('opportunity-matches.admin.suggestions.notOpen') });
      const v = validateForm(InviteSchema, form);
      if (!v.ok) return v;
      const still = await candidates(o, { only: v.value.people, limit: v.value.people.length });
      const accounts = await identity.accountsByIds(still.items.map((c) => c.userId));
      const org = await settings.get();
      const invited = await db.transaction(async (tx) => {
        const fresh = new Set(
          await repo.invite(
            o.id,
            still.items.map((c) => c.userId),
            actor.id,
            now,
            tx,
          ),
        );
        for (const c of still.items) {
          const account = accounts.get(c.userId);
          if (!account || !fresh.has(c.userId)) continue;
          await invitationEmail(tx, account, c.language, o, org.name);
        }
        await audit.record(
          { actorUserId: actor.id, action: 'opportunity.invitations-sent', details: { opportunity: o.id, count: fresh.size } },
          tx,
        );
        return fresh.size;
      });
      return ok({ invited });
    },
  };

  async function invitationEmail(
    tx: Tx,
    to: { id: string; name: string; email: string },
    lang: string | null,
    o: Opportunity,
    org: string,
  ) {
    const tr = ctx.i18n.translator(lang);
    const { title } = localised(o, ['title'], tr.lang);
    const href = `${ctx.config.baseUrl}/opportunities/${o.slug}`;
    const values = { name: to.name, title, org, date: o.closesAt ? tr.date(o.closesAt) : '' };
    await mail.enqueue(
      {
        to: to.email,
        lang: tr.lang,
        subject: tr.t(`${E}.subject`, values),
        heading: tr.t(`${E}.heading`),
        paragraphs: [
          tr.t(`${E}.dear`, values),
          tr.t(`${E}.text`, values),
          o.closesAt ? tr.t(`${E}.closes`, values) : tr.t(`${E}.noClosing`),
          tr.t(`${E}.noPressure`),
        ],
        action: { text: tr.t(`${E}.action`), href },
        footer: [tr.t(`${E}.footer`, { org }), tr.t(`${E}.change`, { url: `${ctx.config.baseUrl}/profile/opportunity-emails` })],
      },
      { key: `opportunity-invitation-${o.id}-${to.id}`, kind: 'opportunity-invitation', tx },
    );
  }
}
export type MatchService = ReturnType<typeof createMatchService>;
