import type { Db, Tx } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { translationsToForm, type Translations } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createQuestionsRepository, type QuestionRow } from './questions-repository.ts';
import { MoveSchema, QuestionSchema, type QuestionFields } from './questions-schema.ts';
import { createOpportunitiesRepository, type OpportunityRow } from './repository.ts';

const Q = 'opportunity-staff.admin.questions';

// What a change to the questions came to. 'locked': sent answers depend on the question (its
// kind, its options, or its being there at all); 'archived': an archived opportunity is never changed.
export type QuestionOutcome =
  | { kind: 'done'; question?: QuestionRow }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'locked'; errors: FieldErrors }
  | { kind: 'archived' };

// The Welsh version kept beside the English columns: options travel as one string, a line each.
function toRow(v: QuestionFields) {
  const cy: Record<string, string> = {};
  if (v.label_cy) {
    cy.label = v.label_cy;
    if (v.hint_cy) cy.hint = v.hint_cy;
    if (v.options_cy.length) cy.options = v.options_cy.join('\n');
  }
  const choice = v.kind === 'single-choice' || v.kind === 'multiple-choice';
  return {
    kind: v.kind,
    label: v.label,
    hint: v.hint,
    options: choice ? v.options : [],
    required: v.required,
    translations: (cy.label ? { cy } : {}) as Translations,
  };
}

// A stored question as the form's fields.
export function questionFormValues(q: QuestionRow): Record<string, unknown> {
  return {
    kind: q.kind,
    label: q.label,
    hint: q.hint ?? '',
    options: q.options.join('\n'),
    required: q.required ? 'yes' : 'no',
    ...translationsToForm(q.translations, ['label', 'hint', 'options']),
  };
}

const sameOptions = (a: string[], b: string[]) => a.length === b.length && a.every((o, i) => o === b[i]);

// The questions editor: staff add, change, move and remove an opportunity's own questions. They
// can be changed freely until the first application is sent; after that the wording may change
// (applicants already sent keep their answers) but not a question's kind or options, nor may it
// go, because sent answers depend on them. Every change is on the audit trail.
export function createQuestionsService(db: Db, ctx: FeatureContext) {
  const repo = createQuestionsRepository(db);
  const opportunities = createOpportunitiesRepository(db);
  const { audit } = ctx.services;

  async function opportunityOrNotFound(id: number): Promise<OpportunityRow> {
    const o = await opportunities.byId(id);
    if (!o) throw notFound('opportunity');
    return o;
  }

  async function questionOrNotFound(opportunityId: number, id: number) {
    const q = await repo.one(opportunityId, id);
    if (!q) throw notFound('question');
    return q;
  }

  const record = (tx: Tx, actor: CurrentUser, o: OpportunityRow, change: string, question: number) =>
    audit.record(
      { actorUserId: actor.id, action: 'opportunity.questions-changed', details: { opportunityId: o.id, change, question } },
      tx,
    );

  return {
    opportunity: opportunityOrNotFound,
    question: questionOrNotFound,
    of: (opportunityId: number) => repo.of(opportunityId),
    // Whether sent answers already depend on the questions (the page says what can still change).
    locked: (opportunityId: number) => repo.anySent(opportunityId),

    async add(actor: CurrentUser, opportunityId: number, form: unknown): Promise<QuestionOutcome> {
      const o = await opportunityOrNotFound(opportunityId);
      if (o.status === 'archived') return { kind: 'archived' };
      const v = validateForm(QuestionSchema, form);
      if (!v.ok) return { kind: 'invalid', errors: v.errors };
      return db.transaction(async (tx) => {
        const question = await repo.insert(o.id, toRow(v.value), tx);
        await record(tx, actor, o, 'added', question.id);
        return { kind: 'done' as const, question };
      });
    },

    async change(actor: CurrentUser, opportunityId: number, id: number, form: unknown): Promise<QuestionOutcome> {
      const o = await opportunityOrNotFound(opportunityId);
      await questionOrNotFound(o.id, id);
      if (o.status === 'archived') return { kind: 'archived' };
      const v = validateForm(QuestionSchema, form);
      if (!v.ok) return { kind: 'invalid', errors: v.errors };
      const row = toRow(v.value);
      return db.transaction(async (tx): Promise<QuestionOutcome> => {
        // Read again in the transaction: an application sent meanwhile locks the question.
        const q = (await repo.one(o.id, id, tx))!;
        if (await repo.anySent(o.id, tx)) {
          if (row.kind !== q.kind) return { kind: 'locked', errors: { kind: msg(`${Q}.locked.kind`) } };
          if (!sameOptions(row.options, q.options)) return { kind: 'locked', errors: { options: msg(`${Q}.locked.options`) } };
        }
        await repo.update(q.id, row, tx);
        await record(tx, actor, o, 'changed', q.id);
        return { kind: 'done' };
      });
    },

    async remove(actor: CurrentUser, opportunityId: number, id: number): Promise<QuestionOutcome> {
      const o = await opportunityOrNotFound(opportunityId);
      await questionOrNotFound(o.id, id);
      if (o.status === 'archived') return { kind: 'archived' };
      return db.transaction(async (tx): Promise<QuestionOutcome> => {
        if (await repo.anySent(o.id, tx)) return { kind: 'locked', errors: { questions: msg(`${Q}.locked.remove`) } };
        await repo.remove(id, tx);
        await record(tx, actor, o, 'removed', id);
        return { kind: 'done' };
      });
    },

    // Move up or down one place. At the top (or bottom) already, nothing changes and nothing is recorded.
    async move(actor: CurrentUser, opportunityId: number, id: number, form: unknown): Promise<QuestionOutcome> {
      const o = await opportunityOrNotFound(opportunityId);
      await questionOrNotFound(o.id, id);
      if (o.status === 'archived') return { kind: 'archived' };
      const v = validateForm(MoveSchema, form);
      if (!v.ok) return { kind: 'invalid', errors: { questions: v.errors.direction ?? msg(`${Q}.validation.direction`) } };
      return db.transaction(async (tx) => {
        await repo.renumber(o.id, tx);
        const q = (await repo.one(o.id, id, tx))!;
        if (await repo.move(q, v.value.direction, tx)) await record(tx, actor, o, `moved-${v.value.direction}`, id);
        return { kind: 'done' as const };
      });
    },
  };
}
export type QuestionsService = ReturnType<typeof createQuestionsService>;
