import { createHash, randomBytes } from 'node:crypto';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { oneLinkEmail } from '#src/platform/identity/password-reset.ts';
import { DetailsSchema, EmailChangeSchema } from './schema.ts';

export const EMAIL_CHANGE_MINUTES = 60;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const changeId = (token: string) => `change-email:${hashToken(token)}`;

export type AccountNotice = 'password-changed' | 'two-factor-on' | 'two-factor-off' | 'recovery-codes' | 'email-changed';

// A member of staff's own account: name and job title (shown beside their replies), email address
// (changed only once a link sent to the new address is followed) and the emails that say so.
export function createAccountService(ctx: FeatureContext) {
  const { db, config } = ctx;
  const { identity, audit, mail, settings, auth } = ctx.services;

  async function tell(to: string, notice: AccountNotice, tr: Translator, values: Record<string, string> = {}) {
    const org = await settings.get();
    const subject = tr.t(`account.admin.emails.${notice}.subject`, { org: org.name });
    await mail.enqueue(
      {
        to,
        lang: tr.lang,
        subject,
        heading: subject,
        paragraphs: [tr.t(`account.admin.emails.${notice}.said`, values), tr.t('account.admin.emails.notYou', { org: org.name })],
        action: { text: tr.t('account.admin.emails.check'), href: `${config.baseUrl}/account` },
      },
      { key: `account:${notice}:${randomBytes(12).toString('hex')}`, kind: 'staff-account' },
    );
  }

  return {
    tell,

    async saveDetails(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(DetailsSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        await identity.updateStaffDetails(user.id, { name: v.value.name, jobTitle: v.value.jobTitle }, tx);
        await audit.record({ actorUserId: user.id, action: 'account.details-changed', subjectUserId: user.id }, tx);
      });
      return ok();
    },

    // Sends a link to the new address; nothing changes until it is followed.
    async requestEmailChange(user: CurrentUser, form: unknown, tr: Translator): Promise<Result<string>> {
      const v = validateForm(EmailChangeSchema, form);
      if (!v.ok) return v;
      const email = v.value.email;
      if (email === user.email.toLowerCase()) return invalid({ email: msg('account.admin.email.errors.same') });
      const existing = await identity.findAccountByEmail(email);
      if (existing) return invalid({ email: msg('account.admin.email.errors.taken') });
      const token = randomBytes(32).toString('base64url');
      const internal = (await auth.$context).internalAdapter;
      await internal.createVerificationValue({
        identifier: changeId(token),
        value: JSON.stringify({ userId: user.id, email }),
        expiresAt: new Date(Date.now() + EMAIL_CHANGE_MINUTES * 60_000),
      });
      const org = await settings.get();
      const href = `${config.baseUrl}/account/email/confirm?token=${token}`;
      await mail.enqueue(
        oneLinkEmail(tr, email, 'account.admin.emails.confirmEmail', { org: org.name, minutes: EMAIL_CHANGE_MINUTES }, href),
        { key: `account:confirm-email:${hashToken(token)}`, kind: 'staff-account' },
      );
      await audit.record({ actorUserId: user.id, action: 'account.email-change-requested', subjectUserId: user.id });
      return ok(email);
    },

    // Follows the link (once, within the hour): the address changes and the old one is told.
    async confirmEmailChange(token: string, tr: Translator): Promise<'changed' | 'expired' | 'taken'> {
      const internal = (await auth.$context).internalAdapter;
      const found = await internal.consumeVerificationValue(changeId(token));
      if (!found || found.expiresAt < new Date()) return 'expired';
      const { userId, email } = JSON.parse(found.value) as { userId: string; email: string };
      const before = await identity.findAccountById(userId);
      if (!before) return 'expired';
      const changed = await db.transaction(async (tx) => {
        if (!(await identity.changeEmail(userId, email, tx))) return false;
        await audit.record({ actorUserId: userId, action: 'account.email-changed', subjectUserId: userId }, tx);
        return true;
      });
      if (!changed) return 'taken';
      await tell(before.email, 'email-changed', tr, { email });
      return 'changed';
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
