import type { Db } from '#src/db/client.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { invalid, ok, type FieldErrors, type Result } from '#src/lib/forms.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, type CurrentUser } from '#src/platform/identity/roles.ts';
import { sendAssessmentInvitation } from './assessing-emails.ts';
import {
  createAssessingRepository,
  type ContributorViewRow,
  type ParticipantRow,
  type RoundRow,
  type StandardRow,
} from './assessing-repository.ts';
import { contributorRatings, readInviteForm, readViews, type ContributorRating } from './assessing-schema.ts';

const V = 'assessing.admin.validation';

// Why a contributor's page is read-only, if it is: they sent their view, the closing date passed,
// the round is completed, or staff have not opened it yet.
export type PageState = 'editable' | 'sent' | 'closed' | 'completed' | 'not-open';

export type Opened = {
  round: RoundRow;
  participant: ParticipantRow;
  standards: StandardRow[];
  views: Map<number, ContributorViewRow>;
  state: PageState;
};

export type ContributorViews = { count: number; ratings: Record<ContributorRating, number>; comments: string[] };

export function pageState(round: RoundRow, participant: ParticipantRow, today = todayInLondon()): PageState {
  if (round.state === 'completed') return 'completed';
  if (round.contributorsCloseOn && today > round.contributorsCloseOn) return 'closed';
  if (participant.submittedAt) return 'sent';
  return round.state === 'open' ? 'editable' : 'not-open';
}

const emptyRatings = () => Object.fromEntries(contributorRatings.map((r) => [r, 0])) as Record<ContributorRating, number>;

// Contributors co-assessing a round (README "Involvement standards"): staff invite them, each gives
// a rating and a comment on every standard they want to, and sends their view; staff and the public
// summary see the views counted, and comments without names.
export function createAssessingService(db: Db, ctx: FeatureContext) {
  const repo = createAssessingRepository(db);
  const { identity, audit } = ctx.services;

  // Contributor accounts among these ids (staff are never co-assessors).
  async function contributorsAmong(ids: string[]) {
    return [...(await identity.accountsByIds(ids)).values()].filter((a) => a.role === CONTRIBUTOR_ROLE);
  }

  // The people named on the invitation form, or the errors to show (nothing is changed then).
  async function chosenPeople(groupId: number | null, emails: string[]): Promise<Result<string[]>> {
    const ids: string[] = [];
    if (groupId) {
      const group = await ctx.services.groups.byId(groupId);
      if (!group || group.archivedAt) return invalid({ groupId: msg(`${V}.groupId`) });
      const members = await contributorsAmong(await ctx.services.groups.memberIds(group.id));
      if (!members.length) return invalid({ groupId: msg(`${V}.groupEmpty`) });
      ids.push(...members.map((m) => m.id));
    }
    for (const email of emails) {
      const account = await identity.findAccountByEmail(email);
      if (!account || account.role !== CONTRIBUTOR_ROLE) return invalid({ emails: msg(`${V}.emails.unknown`, { email }) });
      ids.push(account.id);
    }
    return ok([...new Set(ids)]);
  }

  return {
    roundById: (id: number) => repo.roundById(id),

    // Staff invite contributors and set the closing date; each new invitation is emailed in the
    // person's language in the same transaction. Someone already invited is not emailed again.
    async invite(staff: CurrentUser, round: RoundRow, form: Record<string, unknown>): Promise<Result<{ invited: number }>> {
      if (round.state === 'completed') return invalid({ form: msg(`${V}.completed`) });
      const v = readInviteForm(form, todayInLondon());
      if (!v.ok) return v;
      const people = await chosenPeople(v.value.groupId, v.value.emails);
      if (!people.ok) return people;
      const accounts = await identity.accountsByIds(people.value);
      const languages = new Map(
        await Promise.all(people.value.map(async (id) => [id, (await ctx.services.profile.language(id)) ?? 'en'] as const)),
      );
      const invited = await db.transaction(async (tx) => {
        await repo.setCloseOn(round.id, v.value.closeOn, tx);
        const added = await repo.addParticipants(
          people.value.map((userId) => ({ roundId: round.id, userId, language: languages.get(userId)! })),
          tx,
        );
        for (const p of added) {
          const account = accounts.get(p.userId)!;
          const to = { userId: p.userId, email: account.email, name: account.name, lang: p.language as Lang };
          await sendAssessmentInvitation(ctx, tx, { ...round, contributorsCloseOn: v.value.closeOn }, v.value.closeOn, to);
        }
        await audit.record(
          {
            actorUserId: staff.id,
            action: 'assessment.contributors-invited',
            details: { roundId: round.id, title: round.title, count: added.length, closeOn: v.value.closeOn },
          },
          tx,
        );
        return added.length;
      });
      return ok({ invited });
    },

    // Who was invited and whether they sent their view, with names (for staff with register access).
    async participantsFor(roundId: number) {
      const rows = await repo.participantsOf(roundId);
      const accounts = await identity.accountsByIds(rows.map((r) => r.userId));
      return rows.map((r) => ({
        userId: r.userId,
        name: accounts.get(r.userId)?.name ?? '',
        invitedAt: r.invitedAt,
        submittedAt: r.submittedAt,
        language: r.language,
      }));
    },

    // The views people sent, per standard: how many, the ratings counted, the comments without names.
    async viewsFor(roundId: number): Promise<Map<number, ContributorViews>> {
      const out = new Map<number, ContributorViews>();
      for (const row of await repo.submittedViews(roundId)) {
        const entry = out.get(row.standardId) ?? { count: 0, ratings: emptyRatings(), comments: [] };
        entry.count++;
        entry.ratings[row.rating ?? 'dont-know']++;
        if (row.comment) entry.comments.push(row.comment);
        out.set(row.standardId, entry);
      }
      return out;
    },

    // The round's page for this person, or null when they were not invited (the page is a 404).
    async open(user: CurrentUser, slug: string): Promise<Opened | null> {
      const round = await repo.roundBySlug(slug);
      const participant = round ? await repo.participant(round.id, user.id) : null;
      if (!round || !participant) return null;
      const [standards, views] = await Promise.all([repo.standardsOf(round.frameworkId), repo.viewsOf(round.id, user.id)]);
      return { round, participant, standards, views: new Map(views.map((v) => [v.standardId, v])), state: pageState(round, participant) };
    },

    // Saves the page as it is; `send` then sends the view (at least one standard answered).
    async save(
      o: Opened,
      form: Record<string, unknown>,
      send: boolean,
    ): Promise<Result<'saved' | 'sent'> | { ok: false; refused: PageState }> {
      if (o.state !== 'editable') return { ok: false, refused: o.state };
      const v = readViews(
        form,
        o.standards.map((s) => s.id),
      );
      if (!v.ok) return v;
      if (send && !v.value.length) {
        const first = o.standards[0];
        const errors: FieldErrors = { [first ? `rating-${first.id}` : 'form']: msg('assessing.validation.nothingToSend') };
        return invalid(errors);
      }
      const rows = v.value.map((x) => ({
        standardId: x.standardId,
        rating: x.rating === 'dont-know' ? null : x.rating,
        comment: x.comment,
      }));
      await db.transaction(async (tx) => {
        await repo.replaceViews(o.round.id, o.participant.userId, rows, tx);
        if (send) await repo.markSent(o.participant.id, tx);
      });
      return ok(send ? 'sent' : 'saved');
    },

    // The rounds this person was invited to, with where each stands for them.
    async mine(userId: string) {
      const today = todayInLondon();
      return (await repo.roundsOf(userId)).map((r) => ({ ...r, state: pageState(r.round, r.participant, today) }));
    },

    // "Download my data": each invitation with the round's title, and the ratings and comments given.
    async exportFor(userId: string) {
      const [rounds, views] = await Promise.all([repo.roundsOf(userId), repo.allViewsOf(userId)]);
      const standards = new Map((await repo.standardsByIds([...new Set(views.map((v) => v.standardId))])).map((s) => [s.id, s]));
      return rounds.map(({ round, participant }) => ({
        round: round.title,
        invitedAt: participant.invitedAt.toISOString(),
        sentAt: participant.submittedAt?.toISOString() ?? null,
        views: views
          .filter((v) => v.roundId === round.id)
          .map((v) => ({ standard: standards.get(v.standardId)?.name ?? '', rating: v.rating ?? 'dont-know', comment: v.comment })),
      }));
    },
  };
}
export type AssessingService = ReturnType<typeof createAssessingService>;
