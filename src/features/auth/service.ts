import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { account, passkey, user } from './tables.ts';
import type { Auth } from './better-auth.ts';
import { CONTRIBUTOR_ROLE, staffRoles, type StaffRole } from './roles.ts';

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

// Account records for other features (they never touch the user table themselves).
export type AccountSummary = { id: string; name: string; email: string; role: string; createdAt: Date };

export async function findAccountById(db: Db, id: string): Promise<AccountSummary | null> {
  const [row] = await db
    .select({ id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt })
    .from(user)
    .where(eq(user.id, id));
  return row ?? null;
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountSummary | null> {
  const [row] = await db
    .select({ id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt })
    .from(user)
    .where(eq(user.email, email.toLowerCase()));
  return row ?? null;
}

export async function renameAccount(db: Db, id: string, name: string) {
  await db.update(user).set({ name, updatedAt: new Date() }).where(eq(user.id, id));
}

// Deletes the account; sessions and sign-in methods go with it (foreign keys cascade), and rows
// elsewhere that point at it are deleted or lose the link, as each table declares.
export async function deleteAccountRecord(db: Db, id: string) {
  await db.delete(user).where(eq(user.id, id));
}

// For imports of an existing register: which of these addresses already have an account (one query).
export async function existingAccountEmails(db: Db, emails: string[]): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const rows = await db
    .select({ email: user.email })
    .from(user)
    .where(sql`${user.email} = any(${sql.param(emails)}::text[])`);
  return new Set(rows.map((r) => r.email));
}

// Contributor accounts for people imported from an existing register, many in one statement. The
// address is not verified: they prove it the first time they sign in by email link. An address
// that gained an account meanwhile is skipped (never overwritten) and not returned.
export async function insertContributorAccounts(
  db: Db,
  people: { name: string; email: string }[],
): Promise<{ id: string; email: string }[]> {
  if (!people.length) return [];
  // One parameter per column (arrays unnested by the server), not one per value: much faster.
  const ids = people.map(() => randomBytes(24).toString('base64url'));
  const result = await db.execute(sql`
    insert into ${user} (id, name, email, email_verified, role)
    select id, name, email, false, ${CONTRIBUTOR_ROLE}
    from unnest(${sql.param(ids)}::text[], ${sql.param(people.map((p) => p.name))}::text[], ${sql.param(people.map((p) => p.email))}::text[]) as p(id, name, email)
    on conflict (email) do nothing
    returning id, email`);
  return (result as { rows: { id: string; email: string }[] }).rows;
}

// How an account can sign in, for the person's own data download: whether a password is set
// (never the hash) and each passkey's name, kind and date (never its key).
export async function signInMethodsOf(db: Db, userId: string) {
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
  return { password: !!password, passkeys: keys };
}
