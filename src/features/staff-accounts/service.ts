import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser, StaffRole } from '#src/platform/identity/roles.ts';
import type { StaffAccount } from '#src/platform/identity/staff-accounts.ts';
import type { Tx } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { emailFromWords } from '#src/platform/mail/words.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { checkNewPassword } from '#src/features/accounts/sign-in-methods-service.ts';
import { InviteSchema, RoleSchema } from './schema.ts';

const K = 'staff-accounts.admin';

// Admins manage staff accounts in the browser: invite a colleague, change a role, deactivate and
// reactivate. Every change writes its audit entry (and any email) in the same transaction. The
// one rule that protects the organisation: there is always at least one admin who can sign in.
export function createStaffAccountsService(ctx: FeatureContext) {
  const { db, services, config } = ctx;
  const staff = () => services.identity.staff;

  // An email to a colleague in words from `staff-accounts.emails.<words>`: a subject and heading,
  // then one paragraph per key, each given the same values (org and name are always there).
  // An email to a colleague in words from `staff-accounts.emails.<words>` (org and name always there).
  async function emailColleague(
    to: { name: string; email: string },
    o: {
      words: string;
      paragraphs: string[];
      values?: Record<string, unknown>;
      lang: Lang;
      tx: Tx;
      key: string;
      kind: string;
      href?: string;
    },
  ) {
    const org = await services.settings.get();
    const values = { org: org.name, name: to.name, ...(o.values ?? {}) };
    const content = emailFromWords(ctx.i18n.translator(o.lang), to.email, {
      words: `staff-accounts.emails.${o.words}`,
      paragraphs: o.paragraphs,
      values,
      href: o.href,
    });
    await services.mail.enqueue(content, { key: o.key, kind: o.kind, tx: o.tx });
  }

  async function sendInvitation(to: StaffAccount | { name: string; email: string }, token: string, expiresAt: Date, lang: Lang, tx: Tx) {
    await emailColleague(to, {
      words: 'invitation',
      paragraphs: ['invited', 'expiry', 'notExpected'],
      values: { date: ctx.i18n.translator(lang).date(expiresAt) },
      href: `${config.baseUrl}/staff-invitation/${encodeURIComponent(token)}`,
      lang,
      tx,
      // One email per link: a resent invitation has a new token, so a new key.
      key: `staff-invitation:${token.slice(0, 16)}`,
      kind: 'staff-invitation',
    });
  }

  // Refuses a change that would leave no admin able to sign in.
  async function keepsAnAdmin(tx: Tx, userId: string): Promise<boolean> {
    const admins = await staff().lockActiveAdmins(tx);
    return !(admins.length === 1 && admins[0] === userId);
  }

  return {
    list: (page: number) => staff().list(page),
    find: (id: string) => staff().find(id),
    invitation: (token: string) => staff().invitationByToken(token),

    async invite(actor: CurrentUser, form: unknown, lang: Lang): Promise<Result<{ userId: string }>> {
      const v = validateForm(InviteSchema, form);
      if (!v.ok) return v;
      const existing = await services.identity.findAccountByEmail(v.value.email);
      // A contributor's account stays theirs: a staff account needs an address of its own (ADR 17).
      if (existing)
        return invalid({ email: msg(existing.role === 'contributor' ? `${K}.errors.emailContributor` : `${K}.errors.emailStaff`) });
      const userId = await db.transaction(async (tx) => {
        const made = await staff().invite({ ...v.value, invitedBy: actor.id }, tx);
        if (!made) return null;
        await services.audit.record(
          { actorUserId: actor.id, action: 'staff.invited', subjectUserId: made.userId, details: { role: v.value.role } },
          tx,
        );
        await sendInvitation(v.value, made.token, made.expiresAt, lang, tx);
        return made.userId;
      });
      return userId ? ok({ userId }) : invalid({ email: msg(`${K}.errors.emailStaff`) });
    },

    // A new link (the old one stops working), emailed again. False when nothing is pending.
    async resend(actor: CurrentUser, userId: string, lang: Lang): Promise<boolean> {
      return db.transaction(async (tx) => {
        const account = await staff().find(userId, tx);
        const renewed = account?.status === 'invited' ? await staff().renewInvitation(userId, actor.id, tx) : null;
        if (!account || !renewed) return false;
        await services.audit.record({ actorUserId: actor.id, action: 'staff.invitation-resent', subjectUserId: userId }, tx);
        await sendInvitation(account, renewed.token, renewed.expiresAt, lang, tx);
        return true;
      });
    },

    async cancel(actor: CurrentUser, userId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        if (!(await staff().cancelInvitation(userId, tx))) return false;
        await services.audit.record({ actorUserId: actor.id, action: 'staff.invitation-cancelled', subjectUserId: userId }, tx);
        return true;
      });
    },

    async changeRole(actor: CurrentUser, account: StaffAccount, form: unknown): Promise<Result<StaffRole>> {
      const v = validateForm(RoleSchema, form);
      if (!v.ok) return v;
      const role = v.value.role;
      if (role === account.role) return ok(role);
      const done = await db.transaction(async (tx) => {
        if (account.role === 'admin' && !(await keepsAnAdmin(tx, account.id))) return false;
        await staff().setRole(account.id, role, tx);
        await services.audit.record(
          { actorUserId: actor.id, action: 'staff.role-changed', subjectUserId: account.id, details: { from: account.role, to: role } },
          tx,
        );
        return true;
      });
      return done ? ok(role) : invalid({ role: msg(`${K}.errors.lastAdminRole`) });
    },

    async deactivate(actor: CurrentUser, account: StaffAccount): Promise<Result> {
      const done = await db.transaction(async (tx) => {
        if (!(await keepsAnAdmin(tx, account.id))) return false;
        await staff().setDeactivated(account.id, true, tx);
        await services.audit.record({ actorUserId: actor.id, action: 'staff.deactivated', subjectUserId: account.id }, tx);
        return true;
      });
      return done ? ok() : invalid({ confirm: msg(`${K}.errors.lastAdminDeactivate`) });
    },

    // An admin turns off a colleague's two-factor sign-in (lost phone and recovery codes). They are
    // told by email, in case it was not them who asked.
    async removeTwoFactor(actor: CurrentUser, account: StaffAccount, lang: Lang) {
      const key = `two-factor-removed:${account.id}:${Date.now()}`;
      await db.transaction(async (tx) => {
        await staff().removeTwoFactor(account.id, tx);
        await services.audit.record({ actorUserId: actor.id, action: 'staff.two-factor-removed', subjectUserId: account.id }, tx);
        await emailColleague(account, {
          words: 'twoFactorRemoved',
          paragraphs: ['removed', 'again', 'notExpected'],
          values: { admin: actor.name },
          lang,
          tx,
          key,
          kind: 'two-factor-removed',
        });
      });
    },

    async reactivate(actor: CurrentUser, account: StaffAccount) {
      await db.transaction(async (tx) => {
        await staff().setDeactivated(account.id, false, tx);
        await services.audit.record({ actorUserId: actor.id, action: 'staff.reactivated', subjectUserId: account.id }, tx);
      });
    },

    // The invited person chooses a password (the same rules as everywhere). The link then stops
    // working; the route signs them in with the new password.
    async accept(token: string, form: Record<string, unknown>): Promise<Result<{ email: string; password: string }> | 'expired'> {
      const found = await staff().invitationByToken(token);
      if (found.state !== 'valid') return 'expired';
      const checked = checkNewPassword(form, found.account.email);
      if (!checked.ok) return checked;
      const accepted = await staff().acceptInvitation(token, checked.password);
      if (!accepted) return 'expired';
      await services.audit.record({ actorUserId: accepted.userId, action: 'staff.invitation-accepted', subjectUserId: accepted.userId });
      return ok({ email: accepted.email, password: checked.password });
    },
  };
}
export type StaffAccountsService = ReturnType<typeof createStaffAccountsService>;
