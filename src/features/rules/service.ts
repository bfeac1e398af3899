import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '#src/db/client.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import { translationsFromForm, type Translations } from '#src/lib/localised.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { AuditService } from '#src/platform/audit/service.ts';

// The community rules: Markdown admins edit (English, and Welsh beside it), kept with the settings.
export type CommunityRules = { markdown: string; translations: Translations };

const MAX = 20_000;
export const RulesSchema = z.object({
  markdown: z
    .string()
    .trim()
    .min(1, msg('rules.admin.errors.missing'))
    .max(MAX, msg('rules.admin.errors.tooLong', { max: '20,000' })),
  markdown_cy: z
    .string()
    .trim()
    .max(MAX, msg('rules.admin.errors.tooLongCy', { max: '20,000' }))
    .optional(),
});

const KEY = 'rules';
const text = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').trim();
// Our own text, until an admin writes the organisation's.
export const defaultRules: CommunityRules = {
  markdown: text('./default-rules.md'),
  translations: { cy: { markdown: text('./default-rules.cy.md') } },
};

export function createRulesService(db: Db, settings: SettingsService, audit: AuditService) {
  const rules = settings.document<CommunityRules & { isDefault: boolean }>(KEY, (saved) =>
    saved ? { ...(saved as CommunityRules), isDefault: false } : { ...defaultRules, isDefault: true },
  );
  return {
    get: rules.get,
    // Rendered as story bodies are: raw HTML shown as text, the result through the allowlist.
    render: (markdown: string) => renderMarkdown(markdown),
    // The new text and the audit entry saying who changed it are stored together.
    async update(form: Record<string, unknown>, actorUserId: string): Promise<Result> {
      const v = validateForm(RulesSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        await rules.update({ markdown: v.value.markdown, translations: translationsFromForm(form, ['markdown']), isDefault: false }, tx);
        await audit.record({ actorUserId, action: 'rules.changed' }, tx);
      });
      return ok();
    },
  };
}
export type RulesService = ReturnType<typeof createRulesService>;
