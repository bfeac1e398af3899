import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { isUpload, readDocument, type DocumentChange } from './commission-document.ts';
import { createCommissionRepository } from './commission-repository.ts';
import { HandledSchema, readDeadline, readReviewForm, type ReviewFields } from './commission-schema.ts';
import { createCommissionQuestions } from './commission-questions.ts';
import { createReviewsRepository, type NewReview, type ReviewRow } from './reviews-repository.ts';

const V = 'reviewCommission.admin.validation';
export const DEFAULT_ACTIVITY_KIND = 'review';

// The document fields a form may carry: once a review is open, any of them is a change refused.
const documentFields = ['source', 'documentMarkdown', 'pageText', 'sourceUrl'];
const triesDocument = (form: Record<string, unknown>, file: unknown) =>
  documentFields.some((f) => typeof form[f] === 'string' && form[f] !== '') || isUpload(file);

// Staff commission a review: its details, document, deadline and fee; then they open it (the
// invitations go out) and close it. Every change is on the audit trail, in the transaction that
// makes it. Questions are commission-questions.ts; reviewers and invitations invitations-service.ts.
export function createCommissionService(db: Db, ctx: FeatureContext) {
  const repo = createCommissionRepository(db);
  const reviewsRepo = createReviewsRepository(db);
  const { audit, storage } = ctx.services;
  const en = () => ctx.i18n.translator('en');

  async function checkActivityKind(v: ReviewFields, errors: FieldErrors) {
    if (v.activityKind && !(await ctx.services.rates.kinds()).some((k) => k.kind === v.activityKind))
      errors.activityKind = msg(`${V}.activityKind`);
  }

  const columnsOf = (v: ReviewFields, doc: DocumentChange | null): Partial<NewReview> => ({
    title: v.title,
    kind: v.kind,
    briefMarkdown: v.brief,
    briefHtml: renderMarkdown(v.brief),
    deadline: v.deadline,
    activityKind: v.activityKind,
    estimatedMinutes: v.estimatedHours,
    ...(doc ? doc.columns : {}),
  });

  // Stores the PDF (if any) first, then runs the change; a change that fails takes the new file
  // with it, and a replaced file goes once the change has committed.
  async function withDocument<T>(doc: DocumentChange | null, oldKey: string | null, change: (key: string | null) => Promise<T>) {
    const key = doc?.pdf ? storage.newPrivateKey('pdf') : null;
    if (key) await storage.put(key, doc!.pdf!.data, 'application/pdf');
    try {
      const result = await change(key);
      const source = doc?.columns.source;
      if (oldKey && (key || (source && source !== 'pdf'))) await storage.delete(oldKey);
      return result;
    } catch (err) {
      if (key) await storage.delete(key);
      throw err;
    }
  }

  const record = (tx: Tx, staff: CurrentUser, action: string, review: { id: number; title: string }, details: object = {}) =>
    audit.record({ actorUserId: staff.id, action, details: { reviewId: review.id, title: review.title, ...details } }, tx);

  async function create(staff: CurrentUser, form: Record<string, unknown>, file?: unknown): Promise<Result<ReviewRow>> {
    const v = readReviewForm(form, { documentNeeded: true });
    if (!v.ok) return v;
    const errors: FieldErrors = {};
    await checkActivityKind(v.value, errors);
    const doc = readDocument(v.value, file, null, en());
    if (!doc.ok) Object.assign(errors, doc.errors);
    if (Object.keys(errors).length || !doc.ok) return invalid(errors);
    const created = await withDocument(doc.value, null, (key) =>
      db.transaction(async (tx) => {
        const review = await repo.insert(
          { ...(columnsOf(v.value, doc.value) as NewReview), documentKey: key, createdBy: staff.id, leadUserId: staff.id },
          tx,
        );
        await repo.replaceSections(review.id, doc.value.sections ?? [], tx);
        await record(tx, staff, 'review.created', review, { source: review.source, sections: doc.value.sections?.length ?? 0 });
        return review;
      }),
    );
    return ok(created);
  }

  async function update(staff: CurrentUser, review: ReviewRow, form: Record<string, unknown>, file?: unknown): Promise<Result<ReviewRow>> {
    const draft = review.state === 'draft';
    if (!draft && triesDocument(form, file)) return invalid({ form: msg(`${V}.documentLocked`) });
    const v = readReviewForm(draft ? form : { ...form, source: review.source }, { documentNeeded: draft, deadlineWas: review.deadline });
    if (!v.ok) return v;
    const errors: FieldErrors = {};
    await checkActivityKind(v.value, errors);
    const doc = draft ? readDocument(v.value, file, review, en()) : null;
    if (doc && !doc.ok) Object.assign(errors, doc.errors);
    if (Object.keys(errors).length) return invalid(errors);
    const change = doc?.ok ? doc.value : null;
    const later = v.value.deadline > review.deadline;
    return ok(
      await withDocument(change, review.documentKey, (key) =>
        db.transaction(async (tx) => {
          const columns = columnsOf(v.value, change);
          if (change) columns.documentKey = key ?? (change.columns.source === 'pdf' ? review.documentKey : null);
          await reviewsRepo.updateReview(review.id, columns, tx);
          if (change?.sections) await repo.replaceSections(review.id, change.sections, tx);
          if (later) await repo.rearmReminders(review.id, tx);
          await record(tx, staff, 'review.changed', review, {
            document: Boolean(change?.sections),
            deadline: v.value.deadline.toISOString(),
          });
          return (await reviewsRepo.byId(review.id, tx))!;
        }),
      ),
    );
  }

  return {
    create,
    update,
    questions: createCommissionQuestions(db, ctx),

    list: () => repo.list(),
    byId: (id: number) => reviewsRepo.byId(id),

    // Everything the staff page shows of one review.
    async byIdForStaff(id: number) {
      const review = await reviewsRepo.byId(id);
      if (!review) return null;
      const [sections, questions, reviewers, requests] = await Promise.all([
        reviewsRepo.sections(id),
        reviewsRepo.questions(id),
        repo.reviewersWithPeople(id),
        repo.requestsOf(id),
      ]);
      return { review, sections, questions, reviewers, requests };
    },

    readPdf: (review: ReviewRow) => (review.documentKey ? storage.get(review.documentKey) : Promise.resolve(null)),

    // Draft → open: everyone invited so far is emailed their link.
    async open(staff: CurrentUser, review: ReviewRow, now = new Date()): Promise<Result<{ emailed: number }>> {
      if (review.state !== 'draft') return invalid({ form: msg(`${V}.notDraft`) });
      if (review.deadline <= now) return invalid({ form: msg(`${V}.openPast`) });
      const { reviewInvitations } = ctx.services;
      const prepared = await reviewInvitations.prepareEmails((await reviewsRepo.reviewers(review.id)).map((r) => r.userId));
      return ok(
        await db.transaction(async (tx) => {
          await reviewsRepo.updateReview(review.id, { state: 'open', openedAt: now }, tx);
          const emailed = await reviewInvitations.emailWaiting(review, await reviewsRepo.reviewers(review.id, tx), prepared, tx);
          await record(tx, staff, 'review.opened', review, { emailed });
          return { emailed };
        }),
      );
    },

    // Open → closed: no more reviews (late ones were taken until now).
    async close(staff: CurrentUser, review: ReviewRow, now = new Date()): Promise<Result> {
      if (review.state !== 'open') return invalid({ form: msg(`${V}.notOpen`) });
      await db.transaction(async (tx) => {
        await reviewsRepo.updateReview(review.id, { state: 'closed', closedAt: now }, tx);
        await record(tx, staff, 'review.closed', review);
      });
      return ok();
    },

    // A new deadline; a later one sends the reminders again as it comes near.
    async changeDeadline(staff: CurrentUser, review: ReviewRow, form: Record<string, unknown>, now = new Date()): Promise<Result<Date>> {
      if (review.state === 'closed') return invalid({ form: msg(`${V}.closed`) });
      const errors: FieldErrors = {};
      const deadline = readDeadline(form, errors, now);
      if (!deadline) return invalid(errors);
      await db.transaction(async (tx) => {
        await reviewsRepo.updateReview(review.id, { deadline }, tx);
        if (deadline > review.deadline) await repo.rearmReminders(review.id, tx);
        await record(tx, staff, 'review.changed', review, { deadline: deadline.toISOString() });
      });
      return ok(deadline);
    },

    async handleRequest(staff: CurrentUser, review: ReviewRow, requestId: number, form: unknown): Promise<Result<'handled' | 'gone'>> {
      const v = validateForm(HandledSchema, form);
      if (!v.ok) return v;
      return ok(
        await db.transaction(async (tx) => {
          const request = await repo.requestOf(review.id, requestId, tx);
          if (!request) return 'gone' as const;
          if (await repo.markHandled(request.id, staff.id, v.value.note, tx))
            await record(tx, staff, 'review.request-handled', review, { requestId: request.id, kind: request.kind });
          return 'handled' as const;
        }),
      );
    },

    unhandledRequests: () => repo.unhandledRequests(),

    // The rate card's kinds, and the one a new review is paid by unless staff choose otherwise.
    async activityKinds() {
      const kinds = await ctx.services.rates.kinds();
      return { kinds, preferred: kinds.some((k) => k.kind === DEFAULT_ACTIVITY_KIND) ? DEFAULT_ACTIVITY_KIND : '' };
    },
  };
}
export type CommissionService = ReturnType<typeof createCommissionService>;
