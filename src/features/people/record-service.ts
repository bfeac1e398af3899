import type { Db, Tx } from '#src/db/client.ts';
import { readPastDate } from '#src/lib/date-field.ts';
import { notFound } from '#src/lib/errors.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { StepPage } from '#src/features/profile/step-pages.ts';
import { createContactsRepository } from './contacts-repository.ts';
import { ContactSchema } from './schema.ts';

// What staff may change for a person on the register: the answers the person gives in their
// profile, through the profile feature's own steps (so the same rules apply to both).
const profileFields = [
  'preferredName',
  'phone',
  'contactMethods',
  'formats',
  'interpreterLanguage',
  'postalAddress',
  'livedExperienceNotes',
  'interests',
  'availableTimes',
  'availableWays',
  'region',
  'accessNeeds',
  'accessNeedsNotes',
  'paymentPreference',
  'publicSectorEmployee',
] as const;

// The involvement team's side of a person's record: when they were contacted and how, and answers
// changed on their behalf. Both are written to the audit log with the change itself; a change of
// answers records which answers changed, never what they were or became (some are health data).
export function createRecordKeeping(db: Db, ctx: FeatureContext, contributorAccount: (id: string) => Promise<{ id: string } | null>) {
  const contacts = createContactsRepository(db);
  const { audit, identity, profile } = ctx.services;

  // Everything a step can change, as comparable text: the account's name, the profile's answers
  // and the lived experience terms chosen.
  async function answers(userId: string, runner: Db | Tx): Promise<Record<string, string>> {
    const account = await identity.findAccountById(userId, runner);
    const saved = await profile.profile(userId, runner);
    const terms = await profile.chosenTerms(userId, runner);
    const out: Record<string, string> = { name: account?.name ?? '' };
    for (const f of profileFields) out[f] = JSON.stringify(saved?.[f] ?? null);
    out.livedExperienceTerms = JSON.stringify(terms.map((t) => t.id).sort((a, b) => a - b));
    return out;
  }

  return {
    async contactsOf(subjectUserId: string) {
      const rows = await contacts.of(subjectUserId);
      const names = await identity.namesOf(rows.flatMap((r) => (r.staffUserId ? [r.staffUserId] : [])));
      return rows.map((r) => ({ ...r, staffName: r.staffUserId ? (names.get(r.staffUserId) ?? null) : null }));
    },

    async recordContact(actor: CurrentUser, subjectUserId: string, form: Record<string, unknown>, now = new Date()): Promise<Result> {
      const v = validateForm(ContactSchema, form);
      const on = readPastDate(form, 'contactedOn', 'people-records.admin.contact.date', now);
      const errors: FieldErrors = {
        ...(on.ok ? {} : { contactedOn: on.message }),
        ...(v.ok ? {} : v.errors),
      };
      if (!v.ok || !on.ok) return invalid(errors);
      await db.transaction(async (tx) => {
        const id = await contacts.add(
          { subjectUserId, staffUserId: actor.id, contactedOn: on.date, method: v.value.method, note: v.value.note },
          tx,
        );
        await audit.record(
          {
            actorUserId: actor.id,
            subjectUserId,
            action: 'contributor.contact-recorded',
            details: { contact: id, on: on.date, how: v.value.method },
          },
          tx,
        );
      });
      return ok();
    },

    // Saves one profile step for the person, as if they had, and records who changed which answers.
    // Nothing changed, nothing recorded. Only contributors' records can be changed.
    async editStep(actor: CurrentUser, subjectUserId: string, page: StepPage, form: unknown): Promise<Result<{ changed: string[] }>> {
      const subject = await identity.findAccountById(subjectUserId);
      if (!subject || !(await contributorAccount(subjectUserId))) throw notFound('person');
      // The change and its audit entry are one transaction: both are kept, or neither.
      return db.transaction(async (tx): Promise<Result<{ changed: string[] }>> => {
        const before = await answers(subjectUserId, tx);
        const saved = await page.save(profile, { ...subject, jobTitle: null }, form, tx);
        if (!saved.ok) return saved;
        const after = await answers(subjectUserId, tx);
        const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
        if (changed.length)
          await audit.record(
            {
              actorUserId: actor.id,
              subjectUserId,
              action: 'contributor.edited-by-staff',
              details: { step: page.path.split('/').pop(), changed: changed.join(' ') },
            },
            tx,
          );
        return ok({ changed });
      });
    },
  };
}
