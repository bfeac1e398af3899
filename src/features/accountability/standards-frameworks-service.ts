import type { z } from 'zod';
import type { Db } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import { slugify } from '#src/lib/text.ts';
import type { Translations } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { ensureFrameworks } from './standards-framework-files.ts';
import { createStandardsRepository, type FrameworkRow, type StandardRow } from './standards-repository.ts';
import { FrameworkSchema, StandardSchema } from './standards-schema.ts';

const V = 'standardsStaff.admin.validation';

// Welsh (and any later language) fields of a form, with Markdown rendered once on save.
function frameworkTranslations(v: { name_cy: string | null; description_cy: string | null }): Translations {
  if (!v.name_cy && !v.description_cy) return {};
  const cy: Record<string, string> = {};
  if (v.name_cy) cy.name = v.name_cy;
  if (v.description_cy) {
    cy.description = v.description_cy;
    cy.descriptionHtml = renderMarkdown(v.description_cy);
  }
  return { cy };
}

function standardTranslations(v: { name_cy: string | null; summary_cy: string | null; questions_cy: string | null }): Translations {
  const cy: Record<string, string> = {};
  if (v.name_cy) cy.name = v.name_cy;
  if (v.summary_cy) cy.summary = v.summary_cy;
  const questions = (v.questions_cy ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (questions.length) cy.questions = questions.join('\n');
  return Object.keys(cy).length ? { cy } : {};
}

// What the framework form sets, the description rendered once on save.
function frameworkColumns(v: z.output<typeof FrameworkSchema>) {
  const description = v.description ?? '';
  return {
    name: v.name,
    edition: v.edition,
    publisher: v.publisher,
    sourceUrl: v.sourceUrl,
    descriptionMarkdown: description,
    descriptionHtml: renderMarkdown(description),
    translations: frameworkTranslations(v),
  };
}

// Admins keep the frameworks: the ones we ship (frameworks/*.json, inserted at start when
// missing), a new edition, or another framework altogether, with their standards; and archive one
// no longer used (its past rounds keep it).
export function createStandardsFrameworksService(db: Db, _ctx: FeatureContext) {
  const repo = createStandardsRepository(db);

  async function freeKey(base: string): Promise<string> {
    const root = slugify(base).slice(0, 60) || 'framework';
    const taken = new Set((await repo.frameworks()).map((f) => f.key));
    if (!taken.has(root)) return root;
    for (let n = 2; ; n++) if (!taken.has(`${root}-${n}`)) return `${root}-${n}`;
  }

  return {
    ensureFrameworks: () => ensureFrameworks(db),
    list: (includeArchived = true) => repo.frameworks(includeArchived),
    standardsOf: (frameworkId: number) => repo.standardsOf(frameworkId),
    standardsOfMany: (frameworkIds: number[]) => repo.standardsOfMany(frameworkIds),
    async find(id: number): Promise<FrameworkRow> {
      const f = await repo.framework(id);
      if (!f) throw notFound('framework');
      return f;
    },
    async findStandard(framework: FrameworkRow, id: number): Promise<StandardRow> {
      const s = await repo.standard(framework.id, id);
      if (!s) throw notFound('standard');
      return s;
    },

    async create(form: unknown): Promise<Result<FrameworkRow>> {
      const v = validateForm(FrameworkSchema, form);
      if (!v.ok) return v;
      return ok(
        await repo.insertFramework({ key: await freeKey(`${v.value.name} ${v.value.edition ?? ''}`), ...frameworkColumns(v.value) }),
      );
    },

    async update(framework: FrameworkRow, form: unknown): Promise<Result> {
      const v = validateForm(FrameworkSchema, form);
      if (!v.ok) return v;
      await repo.updateFramework(framework.id, frameworkColumns(v.value));
      return ok();
    },

    async setArchived(framework: FrameworkRow, archived: boolean): Promise<void> {
      await repo.updateFramework(framework.id, { archivedAt: archived ? new Date() : null });
    },

    async addStandard(framework: FrameworkRow, form: unknown): Promise<Result<StandardRow>> {
      const v = validateForm(StandardSchema, form);
      if (!v.ok) return v;
      const key = slugify(v.value.name).slice(0, 60) || 'standard';
      if (await repo.standardKeyTaken(framework.id, key)) return invalid({ name: msg(`${V}.nameTaken`) });
      return ok(
        await repo.insertStandard({
          frameworkId: framework.id,
          key,
          name: v.value.name,
          summary: v.value.summary ?? '',
          questions: v.value.questions,
          measures: v.value.measures,
          translations: standardTranslations(v.value),
        }),
      );
    },

    // The key stays as it was: rounds and the framework files refer to a standard by it.
    async updateStandard(standard: StandardRow, form: unknown): Promise<Result> {
      const v = validateForm(StandardSchema, form);
      if (!v.ok) return v;
      await repo.updateStandard(standard.id, {
        name: v.value.name,
        summary: v.value.summary ?? '',
        questions: v.value.questions,
        measures: v.value.measures,
        translations: standardTranslations(v.value),
      });
      return ok();
    },
  };
}

export type StandardsFrameworksService = ReturnType<typeof createStandardsFrameworksService>;
