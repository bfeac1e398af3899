import type { Db } from '#src/db/client.ts';
import { readPastDate } from '#src/lib/date-field.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { AuditService } from '#src/platform/audit/service.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import { AddSubscriberSchema } from './schema.ts';
import { createSubscribersRepository } from './subscribers-repository.ts';
import type { TopicsService } from './topics.ts';

const S = 'subscribers.admin.add';

// Staff add one subscriber who gave consent somewhere else (in person, on a paper form) and delete
// one. As with an import (ADR 8), consent given elsewhere is recorded with where and when, nobody
// is emailed, and nobody who unsubscribed, bounced or complained is subscribed again. Deleting
// erases the address everywhere we hold it and leaves only a count per day.
export function createManualSubscribers(db: Db, deps: { topics: TopicsService; mail: MailService; audit: AuditService; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  return {
    async add(actor: CurrentUser, form: Record<string, unknown>): Promise<Result<number>> {
      const v = validateForm(AddSubscriberSchema, form);
      const on = readPastDate(form, 'consentedOn', `${S}.date`, now());
      const errors: FieldErrors = { ...(v.ok ? {} : v.errors), ...(on.ok ? {} : { consentedOn: on.message }) };
      if (!v.ok || !on.ok) return invalid(errors);
      const offered = await deps.topics.active();
      const chosen = offered.filter((t) => v.value.topics.includes(t.id));
      if (chosen.length !== v.value.topics.length) return invalid({ topics: msg(`${S}.topics.missing`) });
      const { email, name, consentSource } = v.value;
      return db.transaction(async (tx) => {
        const repo = createSubscribersRepository(tx);
        const existing = await repo.lockByEmail(email);
        if (existing?.status === 'active') return invalid({ email: msg(`${S}.email.already`) });
        if (existing && existing.status !== 'pending') return invalid({ email: msg(`${S}.email.stopped.${existing.status}`) });
        const at = now();
        const consentedAt = new Date(`${on.date}T12:00:00Z`);
        const row = { status: 'active' as const, name, consentedAt, source: consentSource, updatedAt: at };
        let id = existing?.id;
        // An unconfirmed web sign-up becomes subscribed on the consent staff record.
        if (id) await repo.update(id, { ...row, confirmTokenHash: null, confirmExpiresAt: null, pendingTopicIds: null });
        else id = await repo.insert({ email, ...row });
        await repo.replaceTopics(
          id,
          chosen.map((t) => t.id),
        );
        await repo.insertConsentEvent({
          subscriberId: id,
          action: 'added-by-staff',
          topics: chosen.map((t) => t.name),
          privacyNoticeVersion: null,
          source: 'staff',
          detail: `Consent given ${on.date}: ${consentSource}`,
          staffUserId: actor.id,
        });
        await deps.audit.record({ actorUserId: actor.id, action: 'newsletter.subscriber-added', details: { subscriber: id } }, tx);
        return ok(id);
      });
    },

    // 'missing' when there was nobody to delete (deleted meanwhile, or never there).
    async remove(actor: CurrentUser, id: number): Promise<'deleted' | 'missing'> {
      return db.transaction(async (tx) => {
        const repo = createSubscribersRepository(tx);
        const sub = await repo.lockById(id);
        if (!sub) return 'missing' as const;
        await repo.deleteById(id);
        // Emails we sent them (confirmations) keep no trace of the address either.
        await deps.mail.forgetAddress(sub.email, { tx });
        await repo.countDeletion(now().toISOString().slice(0, 10));
        await deps.audit.record({ actorUserId: actor.id, action: 'newsletter.subscriber-deleted', details: { subscriber: id } }, tx);
        return 'deleted' as const;
      });
    },

    deletionsTotal: () => createSubscribersRepository(db).deletionsTotal(),
  };
}
export type ManualSubscribers = ReturnType<typeof createManualSubscribers>;
