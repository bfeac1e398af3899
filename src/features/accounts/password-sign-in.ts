import type { FastifyRequest } from 'fastify';
import type { Auth } from '#src/platform/identity/better-auth.ts';
import { toWebHeaders } from '#src/platform/identity/plugin.ts';
import { CONTRIBUTOR_ROLE, staffRoles } from '#src/platform/identity/roles.ts';

export type PasswordDoor = 'staff' | 'contributor';

// Signs in with an email address and password through better-auth, but only an account that
// belongs at this door: staff at /sign-in, contributors at /sign-in/password. Anyone else gets the
// same refusal as a wrong password, after the same hashing work, so neither form tells a caller
// which addresses have accounts or what kind they are.
export async function signInWithPassword(
  auth: Auth,
  req: FastifyRequest,
  door: PasswordDoor,
  email: string,
  password: string,
): Promise<Response | null> {
  const ctx = await auth.$context;
  const found = await ctx.internalAdapter.findUserByEmail(email.toLowerCase());
  const role = (found?.user as { role?: string } | undefined)?.role;
  const belongs = door === 'staff' ? (staffRoles as readonly (string | undefined)[]).includes(role) : role === CONTRIBUTOR_ROLE;
  if (found && !belongs) {
    await ctx.password.hash(password);
    return null;
  }
  const response = await auth.api.signInEmail({
    body: { email: email.toLowerCase(), password },
    headers: toWebHeaders(req),
    asResponse: true,
  });
  return response.ok ? response : null;
}
