import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { checkStamp, honeypotFilled, signStamp, type StampPolicy } from '#src/lib/form-stamp.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { AuditService } from '#src/platform/audit/service.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { defaultLang, type I18n, type Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { createOrganisationsRepository, type OrganisationRow } from './repository.ts';
import { createOrganisationEmails } from './emails.ts';
import {
  DeclineSchema,
  MembershipSchema,
  ORGANISATION_PRIVACY_VERSION,
  OrganisationDetailsSchema,
  RegistrationSchema,
  kindKey,
  type OrganisationDetails,
} from './schema.ts';
import type { OrganisationStatus } from './tables.ts';

export type RegistrationPolicy = StampPolicy & { perIp: { max: number; windowMs: number } };

export const defaultRegistrationPolicy: RegistrationPolicy = {
  minFillMs: 3_000,
  maxStampAgeMs: 24 * 60 * 60 * 1000,
  perIp: { max: 5, windowMs: 60 * 60 * 1000 },
};

const STAMP_PURPOSE = 'organisation-form';

export type RegisterResult =
  // A script (honeypot, missing or forged stamp, sent too fast): nothing stored.
  | { kind: 'refused'; why: string }
  | { kind: 'rate-limited' }
  | { kind: 'invalid'; errors: FieldErrors; status: 400 | 409 }
  | { kind: 'registered'; organisation: OrganisationRow };

// `language` is the language the organisation wrote its description in (the one it registered in).
export type PublicOrganisation = {
  id: number;
  name: string;
  kind: string;
  description: string;
  area: string;
  website: string | null;
  language: string;
};

const toPublic = (o: OrganisationRow): PublicOrganisation => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  description: o.description,
  area: o.area,
  website: o.website,
  language: o.language,
});

const duplicateMessage = (name: string) => msg('organisations.validation.duplicate', { name });
const nameTaken = (name: string) => msg('organisations.admin.validation.nameTaken', { name });
const isUniqueViolation = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
};

export function createOrganisationsService(
  db: Db,
  deps: {
    config: Config;
    mail: MailService;
    settings: SettingsService;
    audit: AuditService;
    i18n: I18n;
    policy?: Partial<RegistrationPolicy>;
    now?: () => number;
  },
) {
  const repo = createOrganisationsRepository(db);
  const emails = createOrganisationEmails(deps);
  const { config, audit } = deps;
  const policy: RegistrationPolicy = { ...defaultRegistrationPolicy, minFillMs: config.formMinFillMs, ...deps.policy };
  const now = deps.now ?? Date.now;

  // Inserts or updates that would give two live organisations the same name fail on the unique
  // index; two people registering the same name at the same instant get the friendly message too.
  async function guardDuplicate<T>(work: () => Promise<T>): Promise<T | { duplicate: true }> {
    try {
      return await work();
    } catch (err) {
      if (isUniqueViolation(err)) return { duplicate: true };
      throw err;
    }
  }

  async function decide(id: number, actor: CurrentUser, to: 'approved' | 'declined', reason: string | null) {
    return db.transaction(async (tx) => {
      const row = await createOrganisationsRepository(tx).transition(
        id,
        'pending',
        { status: to, declineReason: reason, decidedAt: new Date(), decidedByUserId: actor.id },
        tx,
      );
      if (!row) return null;
      await (to === 'approved' ? emails.approved(tx, row) : emails.declined(tx, row));
      await audit.record(
        {
          actorUserId: actor.id,
          action: to === 'approved' ? 'organisation.approved' : 'organisation.declined',
          details: { organisationId: row.id, organisation: row.name },
        },
        tx,
      );
      return row;
    });
  }

  return {
    policy,

    forgetIpAddressesBefore: (before: Date) => repo.forgetIpAddressesBefore(before),

    issueFormStamp(issuedAt: number = now()): string {
      return signStamp(config.authSecret, issuedAt, STAMP_PURPOSE);
    },

    // The public registration: spam signals, validation, duplicates, the per-address limit.
    // `lang` is the language of the form: the contact's emails are written in it.
    async register(form: Record<string, unknown>, ctx: { ip: string | null; lang?: Lang }): Promise<RegisterResult> {
      if (honeypotFilled(form.fax)) return { kind: 'refused', why: 'honeypot' };
      const stamp = checkStamp(form.stamp, config.authSecret, now(), policy, STAMP_PURPOSE);
      if (stamp === 'missing' || stamp === 'forged') return { kind: 'refused', why: `stamp ${stamp}` };
      const v = validateForm(RegistrationSchema, form);
      if (!v.ok) return { kind: 'invalid', errors: v.errors, status: 400 };
      // Too soon after the page opened, or too long: the form comes back as typed, to check and send.
      if (stamp === 'expired' || stamp === 'too-fast')
        return {
          kind: 'invalid',
          errors: { form: msg(stamp === 'expired' ? 'organisations.validation.stale' : 'organisations.validation.tooFast') },
          status: 400,
        };
      if (await repo.liveByName(v.value.name)) return { kind: 'invalid', errors: { name: duplicateMessage(v.value.name) }, status: 409 };
      if (ctx.ip && (await repo.countFromIpSince(ctx.ip, new Date(now() - policy.perIp.windowMs))) >= policy.perIp.max)
        return { kind: 'rate-limited' };

      const { consent: _consent, ...details } = v.value;
      const saved = await guardDuplicate(() =>
        db.transaction(async (tx) => {
          const row = await repo.insert(
            {
              ...details,
              status: 'pending',
              language: ctx.lang ?? defaultLang,
              privacyNoticeVersion: ORGANISATION_PRIVACY_VERSION,
              ipAddress: ctx.ip,
              createdAt: new Date(now()),
            },
            tx,
          );
          await emails.received(tx, row);
          return row;
        }),
      );
      if ('duplicate' in saved) return { kind: 'invalid', errors: { name: duplicateMessage(details.name) }, status: 409 };
      return { kind: 'registered', organisation: saved };
    },

    // Approved, not archived: the public list and contributors' choices.
    async approved(): Promise<PublicOrganisation[]> {
      return (await repo.withStatus('approved')).map(toPublic);
    },

    // Staff views.
    withStatus: (status: OrganisationStatus) => repo.withStatus(status),
    counts: () => repo.counts(),
    byId: (id: number) => repo.byId(id),
    memberCount: (id: number) => repo.memberCount(id),

    approve: (id: number, actor: CurrentUser) => decide(id, actor, 'approved', null),

    async decline(id: number, actor: CurrentUser, form: unknown): Promise<Result<OrganisationRow | null>> {
      const v = validateForm(DeclineSchema, form);
      if (!v.ok) return v;
      return { ok: true, value: await decide(id, actor, 'declined', v.value.reason) };
    },

    async edit(organisation: OrganisationRow, form: unknown): Promise<Result> {
      const v = validateForm(OrganisationDetailsSchema, form);
      if (!v.ok) return v;
      const isLive = organisation.status === 'pending' || organisation.status === 'approved';
      if (isLive && (await repo.liveByName(v.value.name, organisation.id))) return { ok: false, errors: { name: nameTaken(v.value.name) } };
      const saved = await guardDuplicate(() => repo.update(organisation.id, v.value satisfies OrganisationDetails));
      if (saved && typeof saved === 'object' && 'duplicate' in saved) return { ok: false, errors: { name: nameTaken(v.value.name) } };
      return ok();
    },

    // Archived organisations leave the public list and contributors' choices; their history and
    // members' links are kept. Restoring puts an archived organisation back on the list.
    async setArchived(id: number, actor: CurrentUser, archived: boolean): Promise<'done' | 'not-allowed' | 'duplicate'> {
      const result = await guardDuplicate(() =>
        db.transaction(async (tx) => {
          const row = archived
            ? await repo.transition(id, 'approved', { status: 'archived', archivedAt: new Date() }, tx)
            : await repo.transition(id, 'archived', { status: 'approved', archivedAt: null }, tx);
          if (!row) return 'not-allowed' as const;
          await audit.record(
            {
              actorUserId: actor.id,
              action: archived ? 'organisation.archived' : 'organisation.restored',
              details: { organisationId: row.id, organisation: row.name },
            },
            tx,
          );
          return 'done' as const;
        }),
      );
      return typeof result === 'string' ? result : 'duplicate';
    },

    // The contributor's profile step.
    async membershipStep(userId: string) {
      const [choices, memberships, answeredAt] = await Promise.all([
        repo.withStatus('approved'),
        repo.membershipsOf(userId),
        repo.answeredAt(userId),
      ]);
      return {
        choices: choices.map(toPublic),
        chosen: memberships.filter((m) => m.status === 'approved').map((m) => m.id),
        answered: !!answeredAt,
      };
    },

    hasAnswered: async (userId: string) => !!(await repo.answeredAt(userId)),
    answeredAt: (userId: string) => repo.answeredAt(userId),

    // Replaces what the person said with what they chose now: approved organisations, or none.
    // Nothing chosen at all is allowed (the step is optional): `empty` tells the profile it was skipped.
    async saveMemberships(userId: string, form: unknown): Promise<Result<{ empty: boolean }>> {
      const v = validateForm(MembershipSchema, form);
      if (!v.ok) return v;
      const chosen = v.value.organisations;
      const none = chosen.includes('none');
      const ids = [...new Set(chosen.filter((c) => c !== 'none').map(Number))];
      if (none && ids.length > 0) return { ok: false, errors: { organisations: msg('organisations.validation.chooseOrNone') } };
      const found = await repo.byIds(ids);
      if (found.length !== ids.length || found.some((o) => o.status !== 'approved'))
        return { ok: false, errors: { organisations: msg('organisations.validation.fromList') } };
      await db.transaction(async (tx) => repo.replaceMemberships(userId, ids, tx));
      return ok({ empty: chosen.length === 0 });
    },

    // The organisations a person says they belong to, for their data download and for staff. The
    // download is a record, kept in English like the rest of it.
    async organisationsOf(userId: string) {
      const english = deps.i18n.translator(defaultLang);
      return (await repo.membershipsOf(userId)).map((m) => ({
        id: m.id,
        name: m.name,
        kind: english.t(kindKey(m.kind)),
        // Archived: no longer a partner, kept so the person's history reads true.
        current: m.status === 'approved',
        since: m.since,
      }));
    },
  };
}
export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
