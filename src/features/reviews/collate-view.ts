import type { Translator } from '#src/lib/i18n.ts';
import type { AnswerRow, CollatedComment } from './responses-repository.ts';
import { responseSent, reviewersAwaitingResponse } from './responses-sending.ts';
import type { Collation, NamedReviewer } from './responses-service.ts';
import type { QuestionRow } from './reviews-repository.ts';

const A = 'reviewResponses.admin';
const ratingPoints = [1, 2, 3, 4, 5] as const;

// What an answer holds: choices and ratings in `values`, words in `text`.
const valuesOf = (a: AnswerRow) => (a.values.length ? a.values : a.text ? [a.text] : []);

// One reviewer's answer to one question, in words.
export function answerText(q: QuestionRow, a: AnswerRow | undefined, tr: Translator): string {
  if (!a) return '';
  const values = valuesOf(a);
  switch (q.kind) {
    case 'rating': {
      const point = Number(values[0]);
      const label = q.options[point - 1];
      return label ? `${point} – ${label}` : (values[0] ?? '');
    }
    case 'yes-no':
      return values[0] === 'yes' || values[0] === 'no' ? tr.t(`${A}.answers.${values[0]}`) : (values[0] ?? '');
    case 'single-choice':
    case 'multiple-choice':
      return values.join(', ');
    default:
      return a.text ?? values.join(', ');
  }
}

// Each question with its answers summarised: ratings as a count for each point and the mean to one
// decimal place, choices and yes/no as counts, words listed with who wrote them.
export function questionSummaries(c: Pick<Collation, 'questions' | 'answers' | 'reviewers'>, tr: Translator) {
  const names = new Map(c.reviewers.map((r) => [r.id, r.name]));
  return c.questions.map((q) => {
    const given = c.answers.filter((a) => a.questionId === q.id && valuesOf(a).length);
    const countOf = (value: string) => given.filter((a) => valuesOf(a).includes(value)).length;
    type Count = { label: string; count: number };
    const summary = (counts: Count[] | null, extra: { mean?: string | null; texts?: { name: string; text: string }[] } = {}) => ({
      id: q.id,
      label: q.label,
      kind: q.kind,
      answered: given.length,
      counts,
      mean: extra.mean ?? null,
      texts: extra.texts ?? null,
    });
    if (q.kind === 'rating') {
      const points = given.map((a) => Number(valuesOf(a)[0])).filter((n) => ratingPoints.includes(n as 1));
      const mean = points.length ? points.reduce((s, n) => s + n, 0) / points.length : null;
      const label = (p: number) => (q.options[p - 1] ? `${p} – ${q.options[p - 1]}` : String(p));
      return summary(
        ratingPoints.map((p) => ({ label: label(p), count: points.filter((n) => n === p).length })),
        { mean: mean === null ? null : (Math.round(mean * 10) / 10).toFixed(1) },
      );
    }
    if (q.kind === 'yes-no') return summary((['yes', 'no'] as const).map((v) => ({ label: tr.t(`${A}.answers.${v}`), count: countOf(v) })));
    if (q.kind === 'single-choice' || q.kind === 'multiple-choice') return summary(q.options.map((o) => ({ label: o, count: countOf(o) })));
    return summary(null, { texts: given.map((a) => ({ name: names.get(a.reviewerId) ?? '', text: a.text ?? valuesOf(a).join(', ') })) });
  });
}
export type QuestionSummary = ReturnType<typeof questionSummaries>[number];

// How a comment is shown to staff: who wrote it (or that they have since left), and where its
// response stands.
function presentComment(c: CollatedComment, reviewer: NamedReviewer | undefined, tr: Translator) {
  const status = !c.response ? 'none' : c.reviewerId === null ? 'kept' : responseSent(c.response, reviewer ?? null) ? 'sent' : 'notSent';
  return {
    id: c.id,
    heading: c.heading,
    body: c.body,
    name: c.reviewerId === null ? tr.t(`${A}.anonymous`) : (reviewer?.name ?? ''),
    response: c.response,
    outcomeText: c.response ? tr.t(`reviewResponses.outcomes.${c.response.outcome}`) : '',
    status,
  };
}
export type PresentedComment = ReturnType<typeof presentComment>;

export function presentCollation(c: Collation, tr: Translator) {
  const byId = new Map(c.reviewers.map((r) => [r.id, r]));
  const comments = c.comments.map((x) => ({
    ...presentComment(x, x.reviewerId === null ? undefined : byId.get(x.reviewerId), tr),
    sectionId: x.sectionId,
    reviewerId: x.reviewerId,
  }));
  const submitted = c.reviewers.filter((r) => r.state === 'submitted');
  const answersOf = (reviewerId: number) =>
    c.questions.map((q) => ({
      label: q.label,
      text: answerText(
        q,
        c.answers.find((a) => a.reviewerId === reviewerId && a.questionId === q.id),
        tr,
      ),
    }));
  const anonymised = comments.filter((x) => x.reviewerId === null);
  return {
    bySection: c.sections.map((s) => ({ id: s.id, heading: s.heading, comments: comments.filter((x) => x.sectionId === s.id) })),
    byReviewer: [
      ...submitted.map((r) => ({
        id: r.id,
        name: r.name,
        comments: comments.filter((x) => x.reviewerId === r.id),
        answers: answersOf(r.id),
      })),
      ...(anonymised.length ? [{ id: 0, name: tr.t(`${A}.anonymousGroup`), comments: anonymised, answers: [] }] : []),
    ],
    questions: questionSummaries(c, tr),
    submittedCount: submitted.length,
    stillWorking: c.reviewers.filter((r) => r.state === 'accepted').length,
    toSend: reviewersAwaitingResponse(c.reviewers, c.comments).length,
    unanswered: comments.filter((x) => !x.response).length,
  };
}
