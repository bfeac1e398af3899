import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { feeOf, hoursText } from './invitations-emails.ts';
import { reviewQuestionKinds } from './tables.ts';

const A = 'reviewCommission.admin';
const notices = ['created', 'changed', 'opened', 'closed', 'deadline', 'invited', 'question', 'handled'];

export type StaffReview = NonNullable<Awaited<ReturnType<FastifyInstance['services']['reviewCommission']['byIdForStaff']>>>;
export type PageExtra = { query?: Record<string, unknown>; values?: Record<string, unknown>; errors?: FieldErrors };

// Errors of one of the page's forms, with the form's prefix on each field so ids and the error
// summary's links never clash between forms ("question-label", "group-groupId").
export const prefixed = (prefix: string, errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === 'form' || k === 'questions' ? k : `${prefix}-${k}`, v]));

const text = (v: unknown, max = 200) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

// The staff page of one review: details, document, questions, reviewers and their requests, with a
// form for each action. Re-rendered with one form's errors (400, or 409 for a refusal) when wrong.
export function reviewPage(app: FastifyInstance) {
  const { reviewCommission, reviewInvitations, groups, opportunities, audit } = app.services;

  async function find(raw: string): Promise<StaffReview> {
    const id = parseId(raw);
    const found = id ? await reviewCommission.byIdForStaff(id) : null;
    if (!found) throw notFound('review');
    return found;
  }

  async function choices(t: (key: string) => string, values: Record<string, unknown>, found: StaffReview) {
    const [groupRows, selected, closed] = await Promise.all([
      groups.forStaff(false),
      opportunities.withStatus('selection-done'),
      opportunities.withStatus('closed'),
    ]);
    const picked = (v: unknown, fallback: number | null) => (typeof v === 'string' ? v : String(fallback ?? ''));
    const group = picked(values.groupId, found.review.groupId);
    const opportunity = picked(values.opportunityId, found.review.opportunityId);
    return {
      groupItems: [
        { value: '', text: t(`${A}.reviewers.group.choose`) },
        ...groupRows.map((r) => ({ value: String(r.group.id), text: r.group.name, selected: group === String(r.group.id) })),
      ],
      opportunityItems: [
        { value: '', text: t(`${A}.reviewers.opportunity.choose`) },
        ...[...selected, ...closed].map((o) => ({ value: String(o.id), text: o.title, selected: opportunity === String(o.id) })),
      ],
    };
  }

  async function render(reply: FastifyReply, found: StaffReview, extra: PageExtra = {}, status = 200) {
    const { t, dateTime } = reply.request.tr;
    const staff = reply.request.currentUser!;
    const { review } = found;
    const query = extra.query ?? {};
    const errors = extra.errors ?? {};
    const values = extra.values ?? {};
    const q = text(query.q ?? values.q);
    const wantSuggestions = query.suggest === '1';
    const [found2, suggestions, lists, rates] = await Promise.all([
      q ? reviewInvitations.searchRegister(q) : Promise.resolve([]),
      wantSuggestions ? reviewInvitations.suggestions(staff, review) : Promise.resolve(null),
      choices(t, values, found),
      app.services.rates.all(),
    ]);
    // The requests reviewers made can say what they need to read the document (an access need).
    if (found.requests.length)
      await audit.record({
        actorUserId: staff.id,
        action: 'review.requests-viewed',
        details: { reviewId: review.id, count: found.requests.length },
      });
    const invited = new Set(found.reviewers.map((r) => r.reviewer.userId));
    const saved = text(query.saved, 20);
    const fee = feeOf(review, rates);
    return reply.render(
      'reviews/views/commission/review.njk',
      {
        pageTitle: review.title,
        review,
        kindText: t(`reviewInvitations.kinds.${review.kind}`),
        stateText: t(`${A}.states.${review.state}`),
        sourceText: t(`${A}.form.source.${review.source}`),
        timeText: hoursText(reply.request.tr, review.estimatedMinutes),
        feeText: !review.activityKind ? t(`${A}.review.unpaid`) : fee ? reply.request.tr.money(fee.pence) : t(`${A}.review.noRate`),
        sections: found.sections,
        questions: found.questions.map((qu, i) => ({
          ...qu,
          kindText: t(`${A}.questions.kinds.${qu.kind}`),
          first: i === 0,
          last: i === found.questions.length - 1,
        })),
        reviewers: found.reviewers.map((r) => ({
          ...r,
          stateText: t(`${A}.reviewerStates.${r.reviewer.state}`),
          sourceText: t(`${A}.sources.${r.reviewer.source}`),
          when: dateTime(r.reviewer.submittedAt ?? r.reviewer.respondedAt ?? r.reviewer.invitedAt),
        })),
        requests: found.requests.map((r) => ({ ...r, kindText: t(`${A}.requests.kinds.${r.request.kind}`) })),
        q,
        found: found2.map((p) => ({ ...p, invited: invited.has(p.id) })),
        suggestions: suggestions?.map((p) => ({ ...p, invited: invited.has(p.id) })) ?? null,
        wantSuggestions,
        ...lists,
        questionKindItems: reviewQuestionKinds.map((k) => ({
          value: k,
          text: t(`${A}.questions.kinds.${k}`),
          checked: (values['question-kind'] ?? 'long-text') === k,
        })),
        requiredItems: ['yes', 'no'].map((v) => ({
          value: v,
          text: t(`${A}.questions.required.${v}`),
          checked: (values['question-required'] ?? 'no') === v,
        })),
        notice: notices.includes(saved) ? t(`${A}.notices.${saved}`, { count: Number(query.count) || 0 }) : undefined,
        values,
        errors,
        errorList: errorSummary(Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'form'))),
      },
      status,
    );
  }
  return { find, render };
}
