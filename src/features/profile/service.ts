import { sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { arrayParam, columnParams } from '#src/db/array-param.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import { isLang, type Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { translationsFromForm } from '#src/lib/localised.ts';
import type { FeatureContext, ProfileStep } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createProfileRepository, type ProfileChanges, type ProfileRow, type TermRow } from './repository.ts';
import { createDiversityRepository, validateDiversity } from './diversity.ts';
import { createProfileSearch } from './search-repository.ts';
import { createMatchCandidates, matchFactsOf, type CandidateQuery, type MatchFacts } from './match-candidates.ts';

export type { ExportRow } from './search-repository.ts';
export type { Candidate, CandidateQuery, MatchFacts } from './match-candidates.ts';

// A step on the task list: answered, skipped (the button, or saved with nothing in it), or neither.
export type StepStatus = 'completed' | 'skipped' | 'not-started';
import { contributorLivedExperience, contributorProfiles } from './tables.ts';
import {
  AccessNeedsSchema,
  AvailabilitySchema,
  ContactSchema,
  DetailsSchema,
  InterestsSchema,
  LivedExperienceSchema,
  PaymentSchema,
  TermSchema,
  termCategories,
} from './schema.ts';

// What an imported register row becomes: a profile marked "imported" and the terms chosen.
export type ImportedProfile = {
  userId: string;
  preferredName: string | null;
  phone: string | null;
  postalAddress: string | null;
  region: string | null;
  interests: string[];
  accessNeedsNotes: string | null;
  paymentPreference: string | null;
  lastInvolvedAt: Date | null;
  termIds: number[];
};

// A lived experience term's label in a language: its translation when there is one, else English.
export const termLabel = (term: Pick<TermRow, 'label' | 'translations'>, lang: Lang) =>
  term.translations?.[lang]?.label?.trim() || term.label;

// A contributor's profile: the steps they fill in (and the task list of every feature's steps),
// the lived experience taxonomy admins edit, equality monitoring (only ever read back by the
// person, or as totals), and the reads staff use to find people (search and export).
export function createProfileService(db: Db, ctx: FeatureContext) {
  const repo = createProfileRepository(db);
  const diversity = createDiversityRepository(db);
  const search = createProfileSearch(db);
  const matchCandidates = createMatchCandidates(db);

  // Every feature's steps, in task-list order, with when each was completed or skipped for this
  // person. Whichever happened last counts: a step saved after it was skipped is completed.
  async function stepsOf(userId: string): Promise<(ProfileStep & { completedAt: Date | null; status: StepStatus })[]> {
    const registrations = ctx.extensions.profileSteps;
    const [done, profile] = await Promise.all([Promise.all(registrations.map((r) => r.completed(ctx, userId))), repo.profile(userId)]);
    const skipped = profile?.skippedSteps ?? {};
    return registrations
      .flatMap((r, i) =>
        r.steps.map((step) => {
          const completedAt = done[i]![step.key] ?? null;
          const skippedAt = skipped[step.key] ? new Date(skipped[step.key]!) : null;
          const status: StepStatus =
            skippedAt && (!completedAt || skippedAt >= completedAt) ? 'skipped' : completedAt ? 'completed' : 'not-started';
          return { ...step, completedAt: status === 'completed' ? completedAt : null, status };
        }),
      )
      .sort((a, b) => a.order - b.order);
  }

  // How many steps the person has neither answered nor skipped.
  const stepsLeft = async (userId: string) => (await stepsOf(userId)).filter((s) => s.status === 'not-started').length;

  // Saves a step's answers; nothing chosen or written at all marks the step skipped.
  const saveOrSkip = (userId: string, step: string, changes: ProfileChanges, empty: boolean, runner: Db | Tx = db) =>
    repo.saveStep(userId, step, changes, runner, empty);
  const isEmpty = (...answers: unknown[]) =>
    answers.every((a) => a === null || a === undefined || a === '' || (Array.isArray(a) && !a.length));

  const service = {
    profile: (userId: string, runner: Db | Tx = db): Promise<ProfileRow | null> => repo.profile(userId, runner),

    // What other features match against (opportunities for a person): the lived experience terms
    // they chose, their region, interests and the ways they can take part.
    async matchFacts(userId: string): Promise<MatchFacts> {
      const [profile, terms] = await Promise.all([repo.profile(userId), repo.chosenTerms(userId)]);
      return {
        termIds: terms.filter((t) => !t.archivedAt).map((t) => t.id),
        region: profile?.region ?? null,
        interests: profile?.interests ?? [],
        availableWays: profile?.availableWays ?? [],
      };
    },

    // The same facts for many people at once, with the language each chose (daily alerts).
    matchFactsOf: (userIds: string[]) => matchFactsOf(db, userIds),

    // Contributors who fit an opportunity, ranked, for staff to invite (match-candidates.ts).
    matchCandidates: (q: CandidateQuery) => matchCandidates(q),

    // A contributor signing in for the first time gets an empty profile.
    ensureProfile: (userId: string) => repo.ensureProfile(userId),

    // The language of the website and emails the person chose (stored on joining and whenever a
    // signed-in person chooses one with ?lang=); null until they choose.
    saveLanguage: (userId: string, lang: Lang) => repo.saveLanguage(userId, lang),
    // The register's "last involved", from involvement records (issue 13).
    noteInvolved: (userIds: string[], on: Date, runner: Db | Tx = db) => repo.noteInvolved(userIds, on, runner),
    async language(userId: string): Promise<Lang | null> {
      const saved = (await repo.profile(userId))?.language;
      return isLang(saved) ? saved : null;
    },

    // This feature's completed steps (the task list asks every feature for its own).
    async completedSteps(userId: string): Promise<Record<string, Date>> {
      const [profile, answeredAt] = await Promise.all([repo.profile(userId), diversity.answeredAt(userId)]);
      const done: Record<string, Date> = {};
      for (const [key, at] of Object.entries(profile?.completedSteps ?? {})) done[key] = new Date(at);
      if (answeredAt) done.diversity = answeredAt;
      return done;
    },

    async taskList(userId: string) {
      return (await stepsOf(userId)).map((s) => ({ ...s, completed: s.status === 'completed' }));
    },

    stepsLeft,

    // The "Skip this step" button, on any feature's step (named by its address). A step already
    // answered keeps its answers and stays completed. False for an address that is no step.
    async skipStep(userId: string, href: string): Promise<boolean> {
      const step = (await stepsOf(userId)).find((s) => s.href === href);
      if (!step) return false;
      if (step.status !== 'completed') await repo.markSkipped(userId, step.key);
      return true;
    },

    // Where a step's save leads: the "what happens now" page once it leaves no step not started (the
    // first time only: `before` is how many were left before the save), else back to the task list.
    async afterStepSaved(userId: string, before: number, saved: string): Promise<string> {
      if (before > 0 && (await stepsLeft(userId)) === 0) return '/profile/what-happens-now';
      return `/profile?saved=${saved}`;
    },

    // For a feature whose step was saved with nothing in it (its answers are kept in its own tables).
    markSkipped: (userId: string, key: string) => repo.markSkipped(userId, key),

    // For staff: steps and when each was last saved, leaving out private ones (they do not
    // learn whether someone answered the equality questions).
    async stepsForStaff(userId: string) {
      const english = ctx.i18n.translator('en');
      return (await stepsOf(userId)).filter((s) => !s.private).map((s) => ({ title: english.t(s.title), completedAt: s.completedAt }));
    },

    terms: (includeArchived = false) => repo.terms({ includeArchived }),
    chosenTerms: (userId: string, runner: Db | Tx = db) => repo.chosenTerms(userId, runner),

    // With `lang`, each term's label is in that language where it has one (English otherwise).
    termsByCategory(terms: TermRow[], lang?: Lang) {
      const inLang = (t: TermRow) => (lang ? { ...t, label: termLabel(t, lang) } : t);
      return termCategories.map((c) => ({ ...c, terms: terms.filter((t) => t.category === c.value).map(inLang) }));
    },

    async saveDetails(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(DetailsSchema, form);
      if (!v.ok) return v;
      await runner.transaction(async (tx) => {
        await ctx.services.identity.renameAccount(user.id, v.value.name, tx);
        await repo.saveStep(user.id, 'details', { preferredName: v.value.preferredName, phone: v.value.phone }, tx);
      });
      return ok();
    },

    async saveContact(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(ContactSchema, form);
      if (!v.ok) return v;
      const { contactMethods, formats, phone, postalAddress, interpreterLanguage } = v.value;
      const changes = { contactMethods, formats, postalAddress, interpreterLanguage, ...(phone ? { phone } : {}) };
      await saveOrSkip(user.id, 'contact', changes, isEmpty(contactMethods, formats), runner);
      return ok();
    },

    async saveLivedExperience(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(LivedExperienceSchema, form);
      if (!v.ok) return v;
      const ids = [...new Set(v.value.terms)];
      const found = await repo.activeTermsByIds(ids, runner);
      if (found.length !== ids.length) return { ok: false, errors: { terms: msg('profile.livedExperience.fromList') } };
      await runner.transaction(async (tx) => {
        await repo.replaceChosenTerms(user.id, ids, tx);
        await saveOrSkip(user.id, 'lived-experience', { livedExperienceNotes: v.value.notes }, isEmpty(ids, v.value.notes), tx);
      });
      return ok();
    },

    async saveInterests(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(InterestsSchema, form);
      if (!v.ok) return v;
      await saveOrSkip(user.id, 'interests', { interests: v.value.interests }, isEmpty(v.value.interests), runner);
      return ok();
    },

    async saveAvailability(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(AvailabilitySchema, form);
      if (!v.ok) return v;
      const { availableTimes, availableWays, region } = v.value;
      await saveOrSkip(user.id, 'availability', v.value, isEmpty(availableTimes, availableWays, region), runner);
      return ok();
    },

    async saveAccessNeeds(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(AccessNeedsSchema, form);
      if (!v.ok) return v;
      await saveOrSkip(user.id, 'access-needs', v.value, isEmpty(v.value.accessNeeds, v.value.accessNeedsNotes), runner);
      return ok();
    },

    async savePayment(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateForm(PaymentSchema, form);
      if (!v.ok) return v;
      await saveOrSkip(
        user.id,
        'payment',
        v.value,
        isEmpty(v.value.paymentPreference, v.value.publicSectorEmployee, v.value.receivesBenefits),
        runner,
      );
      return ok();
    },

    // Equality monitoring is only ever read back by the person themselves; staff get aggregates.
    diversityAnswers: (userId: string) => diversity.answers(userId),
    diversitySummary: (userIds: string[]) => diversity.summary(userIds),

    async saveDiversity(user: CurrentUser, form: unknown, runner: Db | Tx = db): Promise<Result> {
      const v = validateDiversity((form ?? {}) as Record<string, unknown>);
      if (!v.ok) return v;
      await diversity.save(user.id, v.value, runner);
      // Answers are kept apart (diversity.ts); an empty save still says the person skipped the step.
      if (!Object.keys(v.value).length) await repo.markSkipped(user.id, 'diversity', runner);
      return ok();
    },

    // --- the lived experience taxonomy, edited by admins ---
    async addTerm(form: unknown): Promise<Result> {
      const v = validateForm(TermSchema, form);
      if (!v.ok) return v;
      if (await repo.termByLabel(v.value.category, v.value.label))
        return { ok: false, errors: { label: msg('profile.admin.terms.errors.duplicate') } };
      await repo.insertTerm(v.value.category, v.value.label, translationsFromForm(form as Record<string, unknown>, ['label']));
      return ok();
    },

    async renameTerm(id: number, form: unknown): Promise<Result> {
      const v = validateForm(TermSchema, form);
      if (!v.ok) return v;
      const clash = await repo.termByLabel(v.value.category, v.value.label);
      if (clash && clash.id !== id) return { ok: false, errors: { label: msg('profile.admin.terms.errors.duplicate') } };
      await repo.updateTerm(id, {
        category: v.value.category,
        label: v.value.label,
        translations: translationsFromForm(form as Record<string, unknown>, ['label']),
      });
      return ok();
    },

    term: (id: number) => repo.term(id),

    async setArchived(id: number, archived: boolean) {
      await repo.updateTerm(id, { archivedAt: archived ? new Date() : null });
    },

    // --- for staff finding people (the people feature's register) ---
    search,

    // Profiles for people brought in from an existing register, many in one statement each: one
    // parameter per column (arrays unnested by the server), not one per value. The search fields
    // come from the same SQL function the profile trigger uses, joined once for every row, so the
    // trigger is not run row by row (migration 0013).
    async importProfiles(rows: ImportedProfile[], tx: Db | Tx) {
      if (!rows.length) return;
      const col = columnParams(rows);
      await tx.execute(sql`
        insert into ${contributorProfiles} (user_id, preferred_name, phone, postal_address, region, interests, access_needs_notes, payment_preference, last_involved_at, source,
          account_name, account_email, sort_name, joined_at, listed, search_vector)
        select user_id, preferred_name, phone, postal_address, region, interests::jsonb, access_needs_notes, payment_preference, last_involved_at::timestamptz, 'imported',
          f.account_name, f.account_email, f.sort_name, f.joined_at, f.listed, f.search_vector
        from unnest(${col((r) => r.userId)}::text[], ${col((r) => r.preferredName)}::text[], ${col((r) => r.phone)}::text[], ${col((r) => r.postalAddress)}::text[],
          ${col((r) => r.region)}::text[], ${col((r) => JSON.stringify(r.interests))}::text[], ${col((r) => r.accessNeedsNotes)}::text[],
          ${col((r) => r.paymentPreference)}::text[], ${col((r) => r.lastInvolvedAt?.toISOString() ?? null)}::text[])
          as p(user_id, preferred_name, phone, postal_address, region, interests, access_needs_notes, payment_preference, last_involved_at)
        cross join lateral contributor_profile_search_fields(p.user_id, p.preferred_name, p.region, null, null, p.access_needs_notes) f`);
      const chosen = rows.flatMap((r) => r.termIds.map((termId) => [r.userId, termId] as const));
      if (chosen.length) {
        await tx.execute(sql`
          insert into ${contributorLivedExperience} (user_id, term_id)
          select * from unnest(${arrayParam(chosen.map((c) => c[0]))}::text[], ${arrayParam(chosen.map((c) => c[1]))}::int[])`);
      }
    },
  };
  return service;
}
export type ProfileService = ReturnType<typeof createProfileService>;
