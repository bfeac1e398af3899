import { z } from 'zod';
import type { Db } from '#src/db/client.ts';
import { csvRow } from '#src/lib/csv.ts';
import { lenient, validateForm, type Result } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Opportunity } from './matching.ts';
import { createRosterRepository, type ExportFilter } from './roster-repository.ts';
import { createQuestionsRepository, type QuestionRow } from './questions-repository.ts';
import { selectionStates } from './tables.ts';

const X = 'opportunity-staff.admin.export';
const EXPORT_BATCH = 500;

// The columns staff may choose, in the order the CSV has them; each question's answer sits where
// `questions` is. Name is always the first column. Equality monitoring answers are never a column.
export const exportColumns = [
  'email',
  'submittedAt',
  'decision',
  'questions',
  'accessNeeds',
  'communication',
  'anythingElse',
  'averageScore',
  'feedback',
] as const;
type Fixed = Exclude<(typeof exportColumns)[number], 'questions'>;
type Column = Fixed | `q${number}`;

// The export form: the columns ticked (unknown ones ignored, as the register's export does) and
// which applications: every sent one, or those with one decision.
const exportSchema = (questions: QuestionRow[]) =>
  z.object({
    columns: lenient((v) => {
      const chosen = new Set([v ?? []].flat().filter((x): x is string => typeof x === 'string'));
      return exportColumns
        .flatMap((c): Column[] => (c === 'questions' ? questions.map((q): Column => `q${q.id}`) : [c]))
        .filter((c) => chosen.has(c));
    }),
    decision: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.enum(selectionStates, { error: msg(`${X}.decision.invalid`) }).optional()),
  });

const list = (tr: Pick<Translator, 't'>, group: string, values: string[]) =>
  values.map((v) => tr.t(`profile.options.${group}.${v}`)).join('; ');

// The selected applicants (participants), and the CSV export of applications. Both are staff looks
// at applications, so both are on the audit trail: the export with its columns, filter and row
// count, never the data.
export function createRoster(db: Db, ctx: FeatureContext, opportunityOrNotFound: (id: number) => Promise<Opportunity>) {
  const repo = createRosterRepository(db);
  const questionsRepo = createQuestionsRepository(db);
  const { audit } = ctx.services;

  function cell(
    c: Column,
    row: Awaited<ReturnType<typeof repo.exportBatch>>[number],
    answers: Map<string, string | string[]>,
    tr: Pick<Translator, 't'>,
    blind: boolean,
    yesNo: Set<string>,
  ): string | null {
    const a = row.application;
    switch (c) {
      case 'email':
        return row.email;
      case 'submittedAt':
        return a.submittedAt ? a.submittedAt.toISOString().slice(0, 16).replace('T', ' ') : '';
      case 'decision':
        return tr.t(`selection.admin.selection.${a.selection}`) + (a.state === 'withdrawn' ? ` (${tr.t(`${X}.withdrawn`)})` : '');
      case 'accessNeeds':
        return [list(tr, 'accessNeeds', a.accessNeeds), a.accessNeedsNotes].filter(Boolean).join('; ');
      case 'communication':
        return [list(tr, 'contactMethods', a.contactMethods), list(tr, 'formats', a.formats)].filter(Boolean).join('; ');
      case 'anythingElse':
        return a.anythingElse;
      case 'averageScore':
        return row.meanScore === null || (blind && !row.scored) ? '' : Number(row.meanScore).toFixed(1);
      case 'feedback':
        return a.feedback;
      default: {
        const answer = answers.get(`${a.id}:${c.slice(1)}`);
        return yesNo.has(c) && typeof answer === 'string' ? tr.t(`common.${answer}`) : [answer ?? []].flat().join('; ');
      }
    }
  }

  async function* rows(
    o: Opportunity,
    actor: CurrentUser,
    filter: ExportFilter,
    columns: Column[],
    questions: QuestionRow[],
    tr: Pick<Translator, 't'>,
  ) {
    const names = new Map(questions.map((q) => [`q${q.id}`, q.label]));
    yield csvRow([tr.t(`${X}.columns.name`), ...columns.map((c) => names.get(c) ?? tr.t(`${X}.columns.${c}`))]);
    const yesNo = new Set(questions.filter((q) => q.kind === 'yes-no').map((q) => `q${q.id}`));
    for (let after = 0; ;) {
      const batch = await repo.exportBatch(o.id, filter, actor.id, after, EXPORT_BATCH);
      if (!batch.length) return;
      const answers = new Map(
        (await repo.answersOf(batch.map((b) => b.application.id))).map((x) => [`${x.applicationId}:${x.questionId}`, x.value]),
      );
      let chunk = '';
      for (const row of batch) chunk += csvRow([row.name, ...columns.map((c) => cell(c, row, answers, tr, o.blindScoring, yesNo))]);
      yield chunk;
      after = batch[batch.length - 1]!.application.id;
    }
  }

  return {
    // The people taking part, for anything that works with them after selection: the groups and
    // meetings feature turns these into a group's members. User ids and names only.
    async participants(opportunityId: number): Promise<{ userId: string; name: string }[]> {
      return (await repo.participants(opportunityId)).map((p) => ({ userId: p.application.userId, name: p.name }));
    },

    // What staff need to run the work with the selected people: who they are, how to reach them,
    // and the access needs and communication preferences from their applications. Audited.
    async participantsForStaff(actor: CurrentUser, opportunityId: number) {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const people = await repo.participants(opportunityId);
      await audit.record({
        actorUserId: actor.id,
        action: 'application.participants-viewed-by-staff',
        details: { opportunity: opportunityId, shown: people.length },
      });
      return { opportunity, people };
    },

    exportQuestions: (opportunityId: number) => questionsRepo.of(opportunityId),

    // Counts first and writes the audit entry before a byte is sent, so an export cut short is
    // still on record; the rows then follow a batch at a time, headed in the page's language.
    async startExport(
      actor: CurrentUser,
      opportunityId: number,
      form: unknown,
      tr: Pick<Translator, 't'>,
    ): Promise<Result<AsyncGenerator<string>>> {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const questions = await questionsRepo.of(opportunityId);
      const v = validateForm(exportSchema(questions), form);
      if (!v.ok) return v;
      const filter: ExportFilter = { selection: v.value.decision };
      const count = await repo.exportCount(opportunityId, filter);
      await audit.record({
        actorUserId: actor.id,
        action: 'application.exported-by-staff',
        details: {
          opportunity: opportunityId,
          filter: v.value.decision ?? 'all sent',
          columns: ['name', ...v.value.columns].join(' '),
          rows: count,
        },
      });
      return { ok: true, value: rows(opportunity, actor, filter, v.value.columns, questions, tr) };
    },
  };
}
