import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, type CurrentUser } from '#src/platform/identity/roles.ts';
import { PeopleQuerySchema } from '#src/features/profile/search-schema.ts';
import { createCommissionRepository } from './commission-repository.ts';
import { DeclineSchema, GroupChoiceSchema, OpportunityChoiceSchema, PeopleSchema } from './commission-schema.ts';
import { sendInvitation, type Invitee, type Rate } from './invitations-emails.ts';
import { createReviewsRepository, type ReviewerRow, type ReviewRow } from './reviews-repository.ts';
import type { reviewerSources } from './tables.ts';

const V = 'reviewCommission.admin.validation';
export const SUGGESTIONS_SHOWN = 10;
export type ReviewerSource = (typeof reviewerSources)[number];

// The invitation link's secret: 32 random bytes, base64url. Only its SHA-256 hash is stored.
export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

type EmailsPrepared = { accounts: Awaited<ReturnType<FeatureContext['services']['identity']['accountsByIds']>>; rates: Rate[] };
export type Answerable = { state: 'answerable'; review: ReviewRow; reviewer: ReviewerRow };
export type InvitationLookup = { state: 'unknown' } | { state: 'closed'; review: ReviewRow; reviewer: ReviewerRow } | Answerable;

// Choosing reviewers (from the register, a group, an opportunity's selected applicants or the
// suggestions) and the invitation link they answer, signed in or not. A review in draft keeps its
// invitations until it opens; once open, each invitation is emailed as it is made.
export function createInvitationsService(db: Db, ctx: FeatureContext) {
  const repo = createCommissionRepository(db);
  const reviewsRepo = createReviewsRepository(db);
  const { audit, identity } = ctx.services;

  const languageOf = async (userId: string): Promise<Lang> => (await ctx.services.profile.language(userId)) ?? 'en';

  // What the invitation emails need, read before the transaction that sends them (on the embedded
  // database a transaction holds the only connection).
  async function prepareEmails(userIds: string[]): Promise<EmailsPrepared> {
    const [accounts, rates] = await Promise.all([identity.accountsByIds(userIds), ctx.services.rates.all()]);
    return { accounts, rates };
  }

  // Gives each reviewer still waiting a fresh token and emails it (the old one was never sent, or
  // is replaced by this email's). Runs in the caller's transaction.
  async function emailWaiting(review: ReviewRow, reviewers: ReviewerRow[], prepared: EmailsPrepared, tx: Tx) {
    let sent = 0;
    for (const r of reviewers.filter((x) => x.state === 'invited')) {
      const account = prepared.accounts.get(r.userId);
      if (!account) continue;
      const token = newToken();
      await reviewsRepo.updateReviewer(r.id, { tokenHash: hashToken(token) }, tx);
      const to: Invitee = { reviewerId: r.id, userId: r.userId, email: account.email, name: account.name, lang: r.language as Lang };
      await sendInvitation(ctx, tx, { ...review, state: 'open' }, to, token, prepared.rates);
      sent++;
    }
    return sent;
  }

  // Invites contributors (staff accounts are never reviewers); someone already invited is left
  // as they are. Emailed at once when the review is open.
  async function invite(
    staff: CurrentUser,
    reviewId: number,
    userIds: string[],
    source: ReviewerSource,
    link?: { groupId?: number; opportunityId?: number },
  ): Promise<Result<{ invited: number }>> {
    const review = await reviewsRepo.byId(reviewId);
    if (!review) return invalid({ form: msg(`${V}.gone`) });
    if (review.state === 'closed') return invalid({ form: msg(`${V}.closed`) });
    const accounts = await identity.accountsByIds(userIds);
    const people = [...accounts.values()].filter((a) => a.role === CONTRIBUTOR_ROLE);
    const languages = await Promise.all(people.map((p) => languageOf(p.id)));
    const prepared = review.state === 'open' ? await prepareEmails(people.map((p) => p.id)) : null;
    return ok(
      await db.transaction(async (tx) => {
        const added = await repo.addReviewers(
          people.map((p, i) => ({
            reviewId,
            userId: p.id,
            source,
            // Replaced by a token that is emailed when the review opens (or now, if it is open).
            tokenHash: hashToken(newToken()),
            language: languages[i]!,
            invitedBy: staff.id,
          })),
          tx,
        );
        if (link && (link.groupId || link.opportunityId)) await reviewsRepo.updateReview(reviewId, link, tx);
        const emailed = prepared ? await emailWaiting(review, added, prepared, tx) : 0;
        await audit.record(
          {
            actorUserId: staff.id,
            action: 'review.reviewers-invited',
            details: { reviewId, title: review.title, source, count: added.length, emailed, userIds: added.map((a) => a.userId) },
          },
          tx,
        );
        return { invited: added.length };
      }),
    );
  }

  async function lookup(token: string): Promise<InvitationLookup> {
    if (!tokenShape.test(token)) return { state: 'unknown' };
    const reviewer = await reviewsRepo.reviewerByTokenHash(hashToken(token));
    const review = reviewer ? await reviewsRepo.byId(reviewer.reviewId) : null;
    // A review still in draft has sent no link: any token for it is as good as unknown.
    if (!reviewer || !review || review.state === 'draft') return { state: 'unknown' };
    return review.state === 'closed' ? { state: 'closed', review, reviewer } : { state: 'answerable', review, reviewer };
  }

  // The person answering: who is signed in, when it is the reviewer (else nobody: the token is the key).
  const actorOf = (reviewer: ReviewerRow, user: CurrentUser | null) => (user && user.id === reviewer.userId ? user.id : null);

  async function answer(found: Answerable, user: CurrentUser | null, changes: Partial<ReviewerRow> & { state: 'accepted' | 'declined' }) {
    await db.transaction(async (tx) => {
      await reviewsRepo.updateReviewer(found.reviewer.id, { ...changes, respondedAt: new Date() }, tx);
      await audit.record(
        {
          actorUserId: actorOf(found.reviewer, user),
          subjectUserId: found.reviewer.userId,
          action: 'review.invitation-answered',
          details: { reviewId: found.review.id, title: found.review.title, answer: changes.state },
        },
        tx,
      );
    });
  }

  return {
    invite,
    prepareEmails,
    emailWaiting,
    lookup,

    // People picked from a search of the register.
    async inviteChosen(staff: CurrentUser, reviewId: number, form: unknown): Promise<Result<{ invited: number }>> {
      const v = validateForm(PeopleSchema, form);
      if (!v.ok) return v;
      return invite(staff, reviewId, v.value.userIds, 'register');
    },

    // Everyone in a group (its contributor members), remembering the group on the review.
    async inviteGroup(staff: CurrentUser, reviewId: number, form: unknown): Promise<Result<{ invited: number }>> {
      const v = validateForm(GroupChoiceSchema, form);
      if (!v.ok) return v;
      const group = await ctx.services.groups.byId(v.value.groupId);
      if (!group || group.archivedAt) return invalid({ groupId: msg(`${V}.groupId`) });
      const ids = await ctx.services.groups.memberIds(group.id);
      if (!ids.length) return invalid({ groupId: msg(`${V}.groupEmpty`) });
      return invite(staff, reviewId, ids, 'group', { groupId: group.id });
    },

    // Everyone selected for an opportunity, remembering the opportunity on the review.
    async inviteOpportunity(staff: CurrentUser, reviewId: number, form: unknown): Promise<Result<{ invited: number }>> {
      const v = validateForm(OpportunityChoiceSchema, form);
      if (!v.ok) return v;
      const opportunity = await ctx.services.opportunities.byId(v.value.opportunityId);
      if (!opportunity) return invalid({ opportunityId: msg(`${V}.opportunityId`) });
      const participants = await ctx.services.selection.participants(opportunity.id);
      if (!participants.length) return invalid({ opportunityId: msg(`${V}.opportunityEmpty`) });
      return invite(
        staff,
        reviewId,
        participants.map((p) => p.userId),
        'opportunity',
        { opportunityId: opportunity.id },
      );
    },

    // The register as staff search it: by name (the register's search) or by exact email address.
    async searchRegister(q: string): Promise<{ id: string; name: string }[]> {
      if (!q) return [];
      if (q.includes('@')) {
        const account = await identity.findAccountByEmail(q);
        return account && account.role === CONTRIBUTOR_ROLE ? [{ id: account.id, name: account.name }] : [];
      }
      return (await ctx.services.profile.search.search(PeopleQuerySchema.parse({ q }), { perPage: 25 })).items;
    },

    // Suggestions need an opportunity (the matching is by what an opportunity seeks): the review's
    // own, when it was recruited through one. Each person shown is a staff view of a profile, so
    // the opportunities feature audits it.
    async suggestions(staff: CurrentUser, review: ReviewRow) {
      if (!review.opportunityId) return null;
      const opportunity = await ctx.services.opportunities.byId(review.opportunityId);
      if (!opportunity) return null;
      const found = await ctx.services.opportunityMatches.suggestions(staff, opportunity);
      return found.items.slice(0, SUGGESTIONS_SHOWN).map((s) => ({ id: s.userId, name: s.name, reasons: s.reasons }));
    },

    // Accepting: allowed while the review is open, also after declining; never after submitting.
    async accept(found: Answerable, user: CurrentUser | null): Promise<'accepted' | 'unchanged'> {
      if (found.reviewer.state !== 'invited' && found.reviewer.state !== 'declined') return 'unchanged';
      await answer(found, user, { state: 'accepted', declineReason: null });
      return 'accepted';
    },

    async decline(found: Answerable, user: CurrentUser | null, form: unknown): Promise<Result<'declined' | 'unchanged'>> {
      const v = validateForm(DeclineSchema, form);
      if (!v.ok) return v;
      if (found.reviewer.state === 'submitted') return ok('unchanged');
      await answer(found, user, { state: 'declined', declineReason: v.value.reason });
      return ok('declined');
    },
  };
}
export type ReviewInvitationsService = ReturnType<typeof createInvitationsService>;
