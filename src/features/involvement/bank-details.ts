import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { personName } from '#src/lib/fields.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { eq } from 'drizzle-orm';
import { createClaimsRepository, type PayeeRow } from './claims-repository.ts';
import { payees } from './tables.ts';

export type BankDetails = { accountName: string; sortCode: string; accountNumber: string };
const V = 'finance.bankDetails.validation';

// Spaces and dashes people type in a sort code ("12-34-56") or account number are dropped.
const digits = (n: number, key: string) =>
  z
    .string({ error: msg(`${V}.${key}.missing`) })
    .transform((v) => v.replace(/[\s-]/g, ''))
    .refine((v) => v.length > 0, msg(`${V}.${key}.missing`))
    .refine((v) => new RegExp(`^\\d{${n}}$`).test(v), msg(`${V}.${key}.format`));

export const BankDetailsSchema = z.object({
  accountName: personName(msg(`${V}.accountName.missing`), msg('finance.bankDetails.accountName.label')),
  sortCode: digits(6, 'sortCode'),
  accountNumber: digits(8, 'accountNumber'),
});

// AES-256-GCM with BANK_DETAILS_KEY, a fresh random 12-byte IV for every write. Stored as
// "v1.<iv>.<tag>.<ciphertext>" in base64url, so the column never holds the digits in clear.
export function encryptBankDetails(key: Buffer, details: BankDetails): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(details), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptBankDetails(key: Buffer, stored: string): BankDetails {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unreadable bank details');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return JSON.parse(text) as BankDetails;
}

// Bank details, only when the organisation collects them (a setting that needs the key): the
// contributor gives them and afterwards sees only the last four digits; finance sees them in
// full, and every such view is audited.
export function createBankDetailsService(db: Db, ctx: FeatureContext) {
  const claimsRepo = createClaimsRepository(db);
  const { audit } = ctx.services;
  // Built by the records area beside this one: read when used.
  const settings = () => ctx.services.paymentSettings.get();
  const key = ctx.config.bankDetailsKey;

  const read = (p: PayeeRow | null) => (key && p?.bankDetailsEncrypted ? decryptBankDetails(key, p.bankDetailsEncrypted) : null);

  return {
    // Whether contributors are asked for them now.
    collecting: async () => !!key && (await settings()).collectBankDetails,

    // What the contributor sees of their own: the name and the account number's last four digits.
    async summaryOf(userId: string) {
      const p = await claimsRepo.payeeOf(userId);
      const d = read(p);
      return d ? { accountName: d.accountName, lastFour: d.accountNumber.slice(-4), updatedAt: p!.bankDetailsUpdatedAt } : null;
    },

    async save(me: CurrentUser, form: unknown): Promise<Result> {
      if (!key || !(await settings()).collectBankDetails) return invalid({ form: msg(`${V}.notCollected`) });
      const v = validateForm(BankDetailsSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        const payee = await claimsRepo.ensurePayee(me.id, me.name, tx);
        await tx
          .update(payees)
          .set({ bankDetailsEncrypted: encryptBankDetails(key, v.value), bankDetailsUpdatedAt: new Date() })
          .where(eq(payees.id, payee.id));
        await audit.record({ actorUserId: me.id, action: 'finance.bank-details-saved', subjectUserId: me.id, details: {} }, tx);
      });
      return ok();
    },

    async remove(me: CurrentUser) {
      await db.transaction(async (tx) => {
        const payee = await claimsRepo.payeeOf(me.id, tx);
        if (!payee?.bankDetailsEncrypted) return;
        await tx.update(payees).set({ bankDetailsEncrypted: null, bankDetailsUpdatedAt: new Date() }).where(eq(payees.id, payee.id));
        await audit.record({ actorUserId: me.id, action: 'finance.bank-details-removed', subjectUserId: me.id, details: {} }, tx);
      });
    },

    // For finance, in full: audited on every view.
    async forFinance(staff: CurrentUser, payee: PayeeRow): Promise<BankDetails | null> {
      const d = read(payee);
      if (d)
        await audit.record({
          actorUserId: staff.id,
          action: 'finance.bank-details-viewed',
          subjectUserId: payee.userId,
          details: { payeeId: payee.id, payee: payee.reference },
        });
      return d;
    },

    // Whether finance may be shown them at all (no key: stored details cannot be read).
    hasKey: () => !!key,
  };
}
export type BankDetailsService = ReturnType<typeof createBankDetailsService>;
