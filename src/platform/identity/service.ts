import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { columnParams } from '#src/db/array-param.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { rowsOf } from '#src/db/rows.ts';
import { byCodeUnits } from '#src/lib/order.ts';
import { account, passkey, user } from './tables.ts';
import type { Auth } from './better-auth.ts';
import { CONTRIBUTOR_ROLE, staffRoles, type StaffRole } from './roles.ts';
import type { LinkPurpose, LinkRequest, SignInLinks } from './sign-in-links.ts';
import { createStaffAccounts } from './staff-accounts.ts';
import { createAccountReads } from './account-reads.ts';

export const CreateUserSchema = z.object({
  email: z.email('Enter an email address in the correct format, like name@example.com').transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, 'Enter a name').max(120),
  role: z.enum(staffRoles, { message: `Role must be one of: ${staffRoles.join(', ')}` }),
  jobTitle: z.string().trim().max(120).optional(),
  password: z.string().min(12, 'Password must be at least 12 characters').max(256).optional(),
});
export type CreateUserInput = z.input<typeof CreateUserSchema>;

export type CreateUserResult = { ok: true; userId: string; password: string; generated: boolean } | { ok: false; error: string };

// Creates a staff account with a password, through better-auth's own hashing and adapter.
export async function createStaffUser(auth: Auth, input: CreateUserInput): Promise<CreateUserResult> {
  const parsed = CreateUserSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => i.message).join('; ') };
  const { email, name, role, jobTitle } = parsed.data;
  const ctx = await auth.$context;
  if (await ctx.internalAdapter.findUserByEmail(email)) {
    return { ok: false, error: `An account with the email ${email} already exists` };
  }
  const generated = !parsed.data.password;
  const password = parsed.data.password ?? randomBytes(18).toString('base64url');
  const created = await ctx.internalAdapter.createUser(
    {
      email,
      name,
      emailVerified: true,
      role: role satisfies StaffRole,
      jobTitle: jobTitle || null,
    },
    { method: 'admin' },
  );
  await ctx.internalAdapter.linkAccount({
    userId: created.id,
    providerId: 'credential',
    accountId: created.id,
    password: await ctx.password.hash(password),
  });
  return { ok: true, userId: created.id, password, generated };
}

// Account records for every module and feature: they never touch the user table themselves.
export type AccountSummary = { id: string; name: string; email: string; role: string; createdAt: Date };
// A contributor account made by staff or a tool (an import, the demo), not by the person joining.
export type NewContributorAccount = { name: string; email: string; createdAt?: Date; emailVerified?: boolean; id?: string };

const summary = { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt };

export function createIdentityService(db: Db, auth: Auth, links: SignInLinks) {
  return {
    ...createAccountReads(db),
    createStaffUser: (input: CreateUserInput) => createStaffUser(auth, input),
    // Staff accounts as admins manage them in the browser (staff-accounts.ts).
    staff: createStaffAccounts(db, auth),

    // Emails a sign-in link (for `join`, to an address that may have no account yet; better-auth
    // makes the account when the link is followed). `details` wait with the link until then.
    // `lang` is the language of the page the link was asked for on: the email is written in it.
    async startEmailSignIn(input: { email: string; name?: string; purpose: LinkPurpose; details?: Record<string, string>; lang?: Lang }) {
      await auth.api.signInMagicLink({
        body: {
          email: input.email,
          name: input.name,
          metadata: { purpose: input.purpose, details: input.details ?? {}, lang: input.lang },
        },
        headers: new Headers(),
      });
    },

    // Follows a link: better-auth checks the token (single use, 15 minutes) and starts a session.
    // Returns its response (for the session cookie), who signed in and what they asked for with
    // the link, or null when the link is unknown, used or expired.
    async completeEmailSignIn(
      token: string,
      headers: Headers,
    ): Promise<{ response: Response; user: { id: string; email: string }; request: LinkRequest | null } | null> {
      const response = await auth.api.magicLinkVerify({ query: { token }, headers, asResponse: true });
      if (response.status !== 200) return null;
      const { user: signedIn } = (await response.clone().json()) as { user: { id: string; email: string } };
      return { response, user: signedIn, request: await links.take(token, signedIn.email) };
    },

    // Erases the links' pending requests for an address (an account being deleted).
    forgetSignInRequests: (email: string, runner: Db | Tx = db) => links.forgetAddress(email, runner),

    async findAccountById(id: string, runner: Db | Tx = db): Promise<AccountSummary | null> {
      const [row] = await runner.select(summary).from(user).where(eq(user.id, id));
      return row ?? null;
    },

    async findAccountByEmail(email: string, runner: Db | Tx = db): Promise<AccountSummary | null> {
      const [row] = await runner.select(summary).from(user).where(eq(user.email, email.toLowerCase()));
      return row ?? null;
    },

    // Names of accounts by id (staff who did something, authors of notes), for history pages.
    async namesOf(ids: string[]): Promise<Map<string, string>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, unique));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    // A member of staff's name and job title, as shown beside their replies to comments.
    async updateStaffDetails(id: string, details: { name: string; jobTitle: string | null }, runner: Db | Tx = db) {
      await runner.update(user).set({ name: details.name, jobTitle: details.jobTitle, updatedAt: new Date() }).where(eq(user.id, id));
    },

    // The address has been proved by a link sent to it; false when another account took it meanwhile.
    async changeEmail(id: string, email: string, runner: Db | Tx = db): Promise<boolean> {
      const [taken] = await runner.select({ id: user.id }).from(user).where(eq(user.email, email.toLowerCase()));
      if (taken && taken.id !== id) return false;
      await runner.update(user).set({ email: email.toLowerCase(), emailVerified: true, updatedAt: new Date() }).where(eq(user.id, id));
      return true;
    },

    async renameAccount(id: string, name: string, runner: Db | Tx = db) {
      await runner.update(user).set({ name, updatedAt: new Date() }).where(eq(user.id, id));
    },

    // Deletes the account; sessions and sign-in methods go with it (foreign keys cascade), and rows
    // elsewhere that point at it are deleted or lose the link, as each table declares.
    async deleteAccount(id: string, runner: Db | Tx = db) {
      await runner.delete(user).where(eq(user.id, id));
    },

    // Which of these addresses already have an account (one query).
    async existingAccountEmails(emails: string[], runner: Db | Tx = db): Promise<Set<string>> {
      if (!emails.length) return new Set();
      const rows = await runner
        .select({ email: user.email })
        .from(user)
        .where(sql`${user.email} = any(${sql.param(emails)}::text[])`);
      return new Set(rows.map((r) => r.email));
    },

    // Contributor accounts for people brought in by staff (an imported register, the demo), many in
    // one statement. Unless said otherwise the address is not verified: they prove it the first time
    // they sign in by email link. An address that already has an account is skipped (never
    // overwritten) and not returned.
    async insertContributorAccounts(people: NewContributorAccount[], runner: Db | Tx = db): Promise<{ id: string; email: string }[]> {
      if (!people.length) return [];
      const now = new Date().toISOString();
      // The new ids' random bytes in one call rather than one per person (an import makes thousands).
      const random = randomBytes(24 * people.length);
      // In address order: two transactions adding the same people (two workers on one import chunk)
      // then take the unique address's locks in the same order, so one waits for the other. In the
      // order of the random ids they deadlocked (issue 10). The address index also takes the new
      // keys page by page rather than all over.
      const rows = people
        .map((p, i) => ({ ...p, id: p.id ?? random.subarray(24 * i, 24 * (i + 1)).toString('base64url') }))
        .sort((a, b) => byCodeUnits(a.email, b.email));
      // One parameter per column (arrays unnested by the server), not one per value: much faster.
      const col = columnParams(rows);
      const result = await runner.execute(sql`
        insert into ${user} (id, name, email, email_verified, role, created_at, updated_at)
        select id, name, email, verified, ${CONTRIBUTOR_ROLE}, created_at::timestamptz, created_at::timestamptz
        from unnest(${col((p) => p.id)}::text[], ${col((p) => p.name)}::text[], ${col((p) => p.email)}::text[],
          ${col((p) => p.emailVerified ?? false)}::boolean[], ${col((p) => p.createdAt?.toISOString() ?? now)}::text[])
          as p(id, name, email, verified, created_at)
        on conflict do nothing
        returning id, email`);
      return rowsOf<{ id: string; email: string }>(result);
    },

    // How an account can sign in, for the person's own data download: whether a password is set
    // (never the hash) and each passkey's name, kind and date (never its key).
    async signInMethodsOf(userId: string) {
      const [password] = await db
        .select({ id: account.id })
        .from(account)
        .where(and(eq(account.userId, userId), eq(account.providerId, 'credential'), isNotNull(account.password)))
        .limit(1);
      const keys = await db
        .select({ name: passkey.name, deviceType: passkey.deviceType, createdAt: passkey.createdAt })
        .from(passkey)
        .where(eq(passkey.userId, userId))
        .orderBy(asc(passkey.createdAt));
      const [twoFactorRow] = await db.select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, userId));
      return { password: !!password, passkeys: keys, twoFactor: !!twoFactorRow?.on };
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
