import type { Db } from '#src/db/client.ts';
import { ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { isLang, type Lang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import {
  createApplicationsRepository,
  type AnswerValue,
  type ApplicationRow,
  type OpportunityRow,
  type QuestionRow,
} from './applications-repository.ts';
import { applicationSchema, fieldName, WithdrawSchema, type ApplicationCommon } from './applications-schema.ts';
import { createApplicationEmails, IMMEDIATE_PER_DAY } from './applications-emails.ts';
import { createContactMail } from './contact-mail.ts';

// Applications of an opportunity archived this many months ago are erased (APPLICATION_RETENTION_MONTHS).
export const DEFAULT_RETENTION_MONTHS = 12;

// What happened to a save or a send. 'closed': the opportunity stopped taking applications;
// 'already-sent': a sent (or withdrawn) application cannot be changed.
export type ApplyResult =
  | { kind: 'saved'; application: ApplicationRow }
  | { kind: 'submitted'; application: ApplicationRow }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'closed' }
  | { kind: 'already-sent'; application: ApplicationRow };

export const isOpenForApplications = (o: OpportunityRow, now = new Date()) =>
  o.status === 'open' && (!o.closesAt || o.closesAt.getTime() > now.getTime());

const startOfDayUtc = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

// Applying to an opportunity: the form (the opportunity's own questions, a copy of the person's
// access needs and communication preferences, anything else), drafts, sending, withdrawing, the
// person's list of applications, the emails that follow, and the retention rule.
export function createApplicationsService(db: Db, ctx: FeatureContext) {
  const repo = createApplicationsRepository(db);
  const { services, config, i18n } = ctx;
  const contactMail = createContactMail(ctx);
  const emails = createApplicationEmails({ mail: services.mail, settings: services.settings, config, i18n, contactMail });

  // The values the form shows: the saved application's, or a new one's copied from the profile.
  async function formValues(userId: string, application: ApplicationRow | null, questions: QuestionRow[]) {
    if (!application) {
      const p = await services.profile.profile(userId);
      return {
        accessNeeds: p?.accessNeeds ?? [],
        accessNeedsNotes: p?.accessNeedsNotes ?? '',
        contactMethods: p?.contactMethods ?? [],
        formats: p?.formats ?? [],
        anythingElse: '',
      } as Record<string, unknown>;
    }
    const answers = await repo.answers(application.id);
    const values: Record<string, unknown> = {
      accessNeeds: application.accessNeeds,
      accessNeedsNotes: application.accessNeedsNotes ?? '',
      contactMethods: application.contactMethods,
      formats: application.formats,
      anythingElse: application.anythingElse ?? '',
    };
    for (const q of questions) values[fieldName(q)] = answers.get(q.id) ?? (q.kind === 'multiple-choice' ? [] : '');
    return values;
  }

  return {
    isOpenForApplications,
    publishedBySlug: (slug: string) => repo.publishedBySlug(slug),
    questions: (opportunityId: number) => repo.questions(opportunityId),
    applicationOf: (opportunityId: number, userId: string) => repo.of(opportunityId, userId),
    formValues,

    async save(user: CurrentUser, o: OpportunityRow, form: Record<string, unknown>, sending: boolean, lang: Lang): Promise<ApplyResult> {
      // A sent application is never changed: say so before checking the answers.
      const before = await repo.of(o.id, user.id);
      if (before && before.state !== 'draft') return { kind: 'already-sent', application: before };
      const questions = await repo.questions(o.id);
      const v = validateForm(applicationSchema(questions, sending, lang), form);
      if (!v.ok) return { kind: 'invalid', errors: v.errors };
      const values = v.value as Record<string, unknown>;
      const answers = new Map<number, AnswerValue>();
      for (const q of questions) {
        const a = values[fieldName(q)] as AnswerValue | null;
        if (a !== null) answers.set(q.id, a);
      }
      const { accessNeeds, accessNeedsNotes, contactMethods, formats, anythingElse } = v.value as ApplicationCommon;
      return db.transaction(async (tx): Promise<ApplyResult> => {
        // Read again inside the transaction, so a second tab or a double click cannot slip past.
        const fresh = await repo.opportunity(o.id, tx);
        const existing = await repo.of(o.id, user.id, tx);
        if (existing && existing.state !== 'draft') return { kind: 'already-sent', application: existing };
        if (!fresh || !isOpenForApplications(fresh)) return { kind: 'closed' };
        const now = new Date();
        const changes = {
          accessNeeds,
          accessNeedsNotes,
          contactMethods,
          formats,
          anythingElse,
          language: lang,
          ...(sending ? { state: 'submitted' as const, submittedAt: now } : {}),
        };
        const application = await repo.save(existing, { opportunityId: o.id, userId: user.id }, changes, answers, tx);
        if (!sending) return { kind: 'saved', application };
        await emails.received(tx, { email: user.email, name: user.name }, fresh, application);
        const contact = await contactMail.contactOf(fresh, { runner: tx });
        if (contact && (await repo.submittedSince(o.id, startOfDayUtc(now), tx)) <= IMMEDIATE_PER_DAY) {
          await emails.toContact(tx, contact, fresh, application);
        }
        return { kind: 'submitted', application };
      });
    },

    async withdraw(user: CurrentUser, id: number, form: unknown): Promise<Result<ApplicationRow> | { ok: false; gone: true }> {
      const v = validateForm(WithdrawSchema, form);
      if (!v.ok) return v;
      return db.transaction(async (tx) => {
        const application = await repo.mine(id, user.id, tx);
        if (!application) return { ok: false as const, gone: true as const };
        // Withdrawing twice (a second tab, the back button) changes nothing more.
        if (application.state !== 'withdrawn') await repo.withdraw(application.id, tx);
        return ok(application);
      });
    },

    mine: (userId: string) => repo.listOf(userId),

    // One of the person's own applications with its opportunity, questions and answers; null for
    // someone else's (or no such) application.
    async one(userId: string, id: number) {
      const application = await repo.mine(id, userId);
      if (!application) return null;
      const [opportunity, questions, answers] = await Promise.all([
        repo.opportunity(application.opportunityId),
        repo.questions(application.opportunityId),
        repo.answers(application.id),
      ]);
      return { application, opportunity: opportunity!, questions, answers };
    },

    // For "Download my data": every application with its answers, in the person's words.
    async exportFor(userId: string) {
      const list = await repo.listOf(userId);
      const answers = await repo.answersOf(list.map((l) => l.application.id));
      return list.map(({ application: a, opportunity: o }) => ({
        opportunity: o.title,
        state: a.state,
        submittedAt: a.submittedAt?.toISOString() ?? null,
        withdrawnAt: a.withdrawnAt?.toISOString() ?? null,
        answers: answers.filter((x) => x.applicationId === a.id).map((x) => ({ question: x.question, answer: x.value })),
        accessNeeds: a.accessNeeds,
        accessNeedsNotes: a.accessNeedsNotes,
        contactMethods: a.contactMethods,
        formats: a.formats,
        anythingElse: a.anythingElse,
        language: isLang(a.language) ? a.language : null,
      }));
    },

    // The contact's digest for a day (UTC, 'yyyy-mm-dd') that had more applications to one
    // opportunity than were told one by one. Sending twice sends nothing twice (keyed by day).
    async sendDigests(day: string): Promise<number> {
      const from = new Date(`${day}T00:00:00Z`);
      const to = new Date(from.getTime() + 86_400_000);
      let sent = 0;
      for (const { opportunity, n } of await repo.submittedBetween(from, to)) {
        if (n <= IMMEDIATE_PER_DAY) continue;
        const contact = await contactMail.contactOf(opportunity);
        if (!contact) continue;
        await emails.digest(contact, opportunity, day, n);
        sent++;
      }
      return sent;
    },

    // The retention rule: applications of opportunities archived more than `months` ago go,
    // leaving anonymous counts on the opportunity.
    async eraseArchived(now: Date, months: number): Promise<number> {
      const before = new Date(now);
      before.setUTCMonth(before.getUTCMonth() - months);
      let erased = 0;
      for (const { id } of await repo.dueForErasure(before)) {
        erased += await db.transaction(async (tx) => {
          const n = await repo.eraseApplications(id, tx);
          await services.audit.record(
            { actorUserId: null, action: 'opportunity.applications-erased', details: { opportunityId: id, applications: n } },
            tx,
          );
          return n;
        });
      }
      return erased;
    },
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
