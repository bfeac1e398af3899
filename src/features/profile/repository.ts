import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import type { Translations } from '#src/lib/localised.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from './tables.ts';

export type ProfileRow = typeof contributorProfiles.$inferSelect;
export type TermRow = typeof livedExperienceTerms.$inferSelect;
export type ProfileChanges = Partial<Omit<ProfileRow, 'userId' | 'createdAt' | 'updatedAt' | 'completedSteps' | 'skippedSteps'>>;

// Drizzle queries only; rules live in the service.
export function createProfileRepository(db: Db) {
  return {
    async profile(userId: string, runner: Db | Tx = db): Promise<ProfileRow | null> {
      const [row] = await runner.select().from(contributorProfiles).where(eq(contributorProfiles.userId, userId));
      return row ?? null;
    },

    // Saves some fields and marks the step done, creating the profile on first save. A save with
    // nothing in it (`skipped`) marks the step skipped instead: the empty answers are still saved.
    async saveStep(userId: string, step: string, changes: ProfileChanges, runner: Db | Tx = db, skipped = false) {
      const now = new Date();
      const existing = await this.profile(userId, runner);
      const { [step]: _done, ...otherDone } = existing?.completedSteps ?? {};
      const { [step]: _skipped, ...otherSkipped } = existing?.skippedSteps ?? {};
      const completedSteps = skipped ? otherDone : { ...otherDone, [step]: now.toISOString() };
      const skippedSteps = skipped ? { ...otherSkipped, [step]: now.toISOString() } : otherSkipped;
      await runner
        .insert(contributorProfiles)
        .values({ userId, ...changes, completedSteps, skippedSteps, updatedAt: now })
        .onConflictDoUpdate({ target: contributorProfiles.userId, set: { ...changes, completedSteps, skippedSteps, updatedAt: now } });
    },

    // Marks a step skipped, for steps whose answers are kept elsewhere (another feature's, say).
    async markSkipped(userId: string, step: string, runner: Db | Tx = db) {
      await this.saveStep(userId, step, {}, runner, true);
    },

    async ensureProfile(userId: string, runner: Db | Tx = db) {
      await runner.insert(contributorProfiles).values({ userId }).onConflictDoNothing();
    },

    // Not a step: the language is chosen on any page, so it marks no step done. Only a contributor has
    // a profile, so a member of staff's choice changes nothing here.
    // Involvement moves "last involved" forward, never back (an import may know of later work).
    async noteInvolved(userIds: string[], on: Date, runner: Db | Tx = db) {
      if (!userIds.length) return;
      await runner
        .update(contributorProfiles)
        .set({ lastInvolvedAt: sql`greatest(${contributorProfiles.lastInvolvedAt}, ${on.toISOString()}::timestamptz)` })
        .where(inArray(contributorProfiles.userId, userIds));
    },

    async saveLanguage(userId: string, language: string, runner: Db | Tx = db) {
      await runner.update(contributorProfiles).set({ language, updatedAt: new Date() }).where(eq(contributorProfiles.userId, userId));
    },

    async chosenTerms(userId: string, runner: Db | Tx = db): Promise<TermRow[]> {
      const rows = await runner
        .select({ term: livedExperienceTerms })
        .from(contributorLivedExperience)
        .innerJoin(livedExperienceTerms, eq(livedExperienceTerms.id, contributorLivedExperience.termId))
        .where(eq(contributorLivedExperience.userId, userId))
        .orderBy(asc(livedExperienceTerms.category), asc(livedExperienceTerms.label));
      return rows.map((r) => r.term);
    },

    async replaceChosenTerms(userId: string, termIds: number[], runner: Db | Tx) {
      await runner.delete(contributorLivedExperience).where(eq(contributorLivedExperience.userId, userId));
      if (termIds.length) await runner.insert(contributorLivedExperience).values(termIds.map((termId) => ({ userId, termId })));
    },

    async terms(opts: { includeArchived: boolean }): Promise<TermRow[]> {
      return db
        .select()
        .from(livedExperienceTerms)
        .where(opts.includeArchived ? undefined : isNull(livedExperienceTerms.archivedAt))
        .orderBy(asc(livedExperienceTerms.category), asc(livedExperienceTerms.label));
    },

    async activeTermsByIds(ids: number[], runner: Db | Tx = db): Promise<TermRow[]> {
      if (!ids.length) return [];
      return runner
        .select()
        .from(livedExperienceTerms)
        .where(and(inArray(livedExperienceTerms.id, ids), isNull(livedExperienceTerms.archivedAt)));
    },

    async term(id: number): Promise<TermRow | null> {
      const [row] = await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.id, id));
      return row ?? null;
    },

    async termByLabel(category: string, label: string): Promise<TermRow | null> {
      const [row] = await db
        .select()
        .from(livedExperienceTerms)
        .where(and(eq(livedExperienceTerms.category, category), eq(livedExperienceTerms.label, label)));
      return row ?? null;
    },

    async insertTerm(category: string, label: string, translations: Translations = {}) {
      await db.insert(livedExperienceTerms).values({ category, label, translations });
    },

    async updateTerm(id: number, changes: Partial<Pick<TermRow, 'category' | 'label' | 'archivedAt' | 'translations'>>) {
      await db.update(livedExperienceTerms).set(changes).where(eq(livedExperienceTerms.id, id));
    },
  };
}
export type ProfileRepository = ReturnType<typeof createProfileRepository>;
