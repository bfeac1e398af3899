import { csvRow } from '#src/lib/csv.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { answerText, presentCollation } from './collate-view.ts';
import type { Collation } from './responses-service.ts';

const C = 'reviewResponses.admin.csv';

// The collated review as one spreadsheet: a row per comment (section, reviewer, comment, the
// response's outcome and why), a blank row, then a row per answer (question, reviewer, answer).
// csvRow neutralises anything a spreadsheet would run as a formula.
export function collationCsv(c: Collation, tr: Translator): string {
  const { t } = tr;
  const presented = presentCollation(c, tr);
  const comments = presented.bySection.flatMap((s) =>
    s.comments.map((x) => csvRow([s.heading, x.name, x.body, x.outcomeText, x.response?.reason ?? ''])),
  );
  const answers = c.reviewers
    .filter((r) => r.state === 'submitted')
    .flatMap((r) =>
      c.questions.flatMap((q) => {
        const text = answerText(
          q,
          c.answers.find((a) => a.reviewerId === r.id && a.questionId === q.id),
          tr,
        );
        return text ? [csvRow([q.label, r.name, text])] : [];
      }),
    );
  return [
    '\uFEFF',
    csvRow(['section', 'reviewer', 'comment', 'outcome', 'reason'].map((k) => t(`${C}.${k}`))),
    ...comments,
    '\r\n',
    csvRow(['question', 'reviewer', 'answer'].map((k) => t(`${C}.${k}`))),
    ...answers,
  ].join('');
}
