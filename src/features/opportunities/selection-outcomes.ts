import type { Db } from '#src/db/client.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { localised } from '#src/lib/localised.ts';
import type { EmailContent } from '#src/platform/mail/service.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createMatchingRepository, type Opportunity } from './matching.ts';
import type { SelectionRepository } from './selection-repository.ts';

const O = 'selection.outcome';
// The decisions that are an answer; longlisted and shortlisted people are still being considered.
export const finalDecisions = ['selected', 'waitlisted', 'not-selected'] as const;
type Final = (typeof finalDecisions)[number];
const isFinal = (s: string): s is Final => (finalDecisions as readonly string[]).includes(s);
const wordsFor: Record<Final, string> = { selected: 'selected', waitlisted: 'waitlisted', 'not-selected': 'notSelected' };
const OTHER_OPPORTUNITIES = 3;

// Telling every applicant the outcome once staff have decided: one email each, in the language they
// applied in, sent once (the idempotency key and `outcomeSentAt`). Those not selected get kind
// words, the feedback staff wrote for them, and other open opportunities that suit them.
export function createOutcomes(
  db: Db,
  ctx: FeatureContext,
  repo: SelectionRepository,
  opportunityOrNotFound: (id: number) => Promise<Opportunity>,
) {
  const { audit, mail, profile } = ctx.services;
  const matching = createMatchingRepository(db);
  const link = (path: string) => `${ctx.config.baseUrl}${path}`;

  async function outcomeEmail(
    opportunity: Opportunity,
    a: {
      application: { id: number; userId: string; selection: string; feedback: string | null; language: string };
      name: string;
      email: string;
    },
  ): Promise<EmailContent> {
    const tr = ctx.i18n.translator(a.application.language);
    const decision = a.application.selection as Final;
    const w = `${O}.${wordsFor[decision]}`;
    const { title } = localised(opportunity, ['title'] as const, tr.lang);
    const values = { name: a.name, title };
    const paragraphs = [tr.t(`${O}.greeting`, values), tr.t(`${w}.p1`, values), tr.t(`${w}.p2`, values)];
    if (decision !== 'not-selected') paragraphs.push(tr.t(`${O}.questions`, { contact: opportunity.contactEmail ?? '' }));
    const content: EmailContent = {
      to: a.email,
      lang: tr.lang,
      subject: tr.t(`${w}.subject`, values),
      heading: tr.t(`${w}.heading`, values),
      paragraphs,
    };
    if (decision !== 'not-selected') return content;
    if (a.application.feedback) {
      paragraphs.push(tr.t(`${O}.notSelected.feedback`));
      content.quote = a.application.feedback;
    }
    const others = await matching.openMatching(await profile.matchFacts(a.application.userId), {
      exclude: [opportunity.id],
      limit: OTHER_OPPORTUNITIES,
    });
    if (others.length) {
      paragraphs.push(tr.t(`${O}.notSelected.others`));
      for (const o of others) {
        const other = localised(o.opportunity, ['title'] as const, tr.lang);
        paragraphs.push(`${other.title}: ${link(`/opportunities/${o.opportunity.slug}`)}`);
      }
    }
    paragraphs.push(tr.t(`${O}.notSelected.thanks`));
    content.action = { text: tr.t(`${O}.notSelected.action`), href: link('/opportunities') };
    return content;
  }

  return {
    // Emails everyone with a decision who has not been told; says how many still have none.
    async sendOutcomes(actor: CurrentUser, opportunityId: number): Promise<Result<{ sent: number; undecided: number }>> {
      const opportunity = await opportunityOrNotFound(opportunityId);
      if (opportunity.status === 'open') return invalid({ outcomes: msg('selection.admin.outcomes.stillOpen') });
      const waiting = await repo.untold(opportunityId);
      const decided = waiting.filter((a) => isFinal(a.application.selection));
      if (!decided.length) return invalid({ outcomes: msg('selection.admin.outcomes.noneDecided') });
      // Written before the transaction: matching reads the database, and PGlite has one connection.
      const emails = await Promise.all(
        decided.map(async (a) => ({ id: a.application.id, userId: a.application.userId, content: await outcomeEmail(opportunity, a) })),
      );
      const now = new Date();
      await db.transaction(async (tx) => {
        for (const e of emails) {
          await mail.enqueue(e.content, { key: `opportunity-outcome-${e.id}`, kind: 'opportunity-outcome', tx });
        }
        await repo.markTold(
          emails.map((e) => e.id),
          now,
          tx,
        );
        await audit.record(
          { actorUserId: actor.id, action: 'application.outcomes-sent', details: { opportunity: opportunityId, sent: emails.length } },
          tx,
        );
      });
      return ok({ sent: emails.length, undecided: waiting.length - decided.length });
    },
  };
}
