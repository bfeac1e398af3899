import type { FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { escapeHtml } from '#src/lib/text.ts';
import type { AnswerRow, CommentRow } from './reviewing-repository.ts';
import { choicesOf, fieldName } from './reviewing-schema.ts';
import type { Opened } from './reviewing-state.ts';
import type { QuestionRow, SectionRow } from './reviews-repository.ts';

const R = 'reviewing';
const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : [v].flat().map(String));

// A choice's words: a rating is its number and, where staff gave one, its label ("1: Very hard").
function choiceText(tr: Translator, q: QuestionRow, value: string): string {
  if (q.kind === 'yes-no') return tr.t(`${R}.questions.yesNo.${value === 'yes' ? 'yes' : 'no'}`);
  if (q.kind === 'rating') {
    const label = q.options[Number(value) - 1];
    return label ? tr.t(`${R}.questions.rating`, { n: value, label }) : value;
  }
  return value;
}

// The questions page's fields: each question with its value, its error and, for choices, its items.
export function answerFields(tr: Translator, questions: QuestionRow[], values: Record<string, unknown>, errors: FieldErrors) {
  return questions.map((q) => {
    const name = fieldName(q);
    const chosen = asList(values[name]);
    return {
      name,
      kind: q.kind,
      label: q.required ? q.label : `${q.label} ${tr.t('common.optional')}`,
      hint: q.hint,
      value: typeof values[name] === 'string' ? values[name] : '',
      error: errors[name] ? tr.message(errors[name]) : undefined,
      items: choicesOf(q).map((c) => ({ value: c, text: choiceText(tr, q, c), checked: chosen.includes(c) })),
    };
  });
}

// The check-your-answers rows: each section's comment and each answer, with Change links while
// the review may still be changed.
export function checkRows(
  tr: Translator,
  d: { o: Opened; sections: SectionRow[]; comments: CommentRow[]; questions: QuestionRow[]; answers: AnswerRow[]; editable: boolean },
) {
  const base = `/profile/reviews/${d.o.review.id}`;
  const change = (href: string, what: string) =>
    d.editable ? { items: [{ href, text: tr.t(`${R}.check.change`), visuallyHiddenText: what }] } : undefined;
  const sectionRows = d.sections.map((s) => {
    const c = d.comments.find((x) => x.sectionId === s.id);
    return {
      key: { text: s.heading },
      value: c ? { html: escapeHtml(c.body).replace(/\n/g, '<br>') } : { text: tr.t(`${R}.check.noComment`) },
      actions: change(`${base}/sections/${s.id}`, s.heading),
    };
  });
  const answerRows = d.questions.map((q) => {
    const a = d.answers.find((x) => x.questionId === q.id);
    const text = a ? (a.text ?? a.values.map((v) => choiceText(tr, q, v)).join(', ')) : tr.t(`${R}.check.notAnswered`);
    return {
      key: { text: q.label },
      value: { html: escapeHtml(text).replace(/\n/g, '<br>') },
      actions: change(`${base}/questions#${fieldName(q)}`, q.label),
    };
  });
  const r = d.o.reviewer;
  const hours =
    r.minutesSpent === null
      ? tr.t(`${R}.check.hoursNotSaid`)
      : tr.t(`${R}.check.hours`, { count: r.minutesSpent / 60, hours: tr.number(r.minutesSpent / 60) });
  answerRows.push(
    {
      key: { text: tr.t(`${R}.questions.hours.label`) },
      value: { html: escapeHtml(hours) },
      actions: change(`${base}/questions#hours`, tr.t(`${R}.questions.hours.label`)),
    },
    {
      key: { text: tr.t(`${R}.questions.name.legend`) },
      value: { html: escapeHtml(tr.t(`${R}.questions.name.${r.nameInSummary ? 'yes' : 'no'}`)) },
      actions: change(`${base}/questions#nameInSummary`, tr.t(`${R}.questions.name.legend`)),
    },
  );
  return { sectionRows, answerRows };
}
