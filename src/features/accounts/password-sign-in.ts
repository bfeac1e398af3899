import type { FastifyRequest } from 'fastify';
import type { Auth } from '#src/platform/identity/better-auth.ts';
import { toWebHeaders } from '#src/platform/identity/plugin.ts';
import { CONTRIBUTOR_ROLE, staffRoles } from '#src/platform/identity/roles.ts';
import { GUESS_WINDOW_MS, tooManyGuessesEmail } from './password-guesses.ts';

export type PasswordDoor = 'staff' | 'contributor';

// Signs in with an email address and password through better-auth, but only an account that
// belongs at this door: staff at /sign-in, contributors at /sign-in/password. Anyone else gets the
// same refusal as a wrong password, after the same hashing work, so neither form tells a caller
// which addresses have accounts or what kind they are.
// 'limited' once the account has had too many wrong passwords (password-guesses.ts): the password
// is then not checked at all until the window ends.
export async function signInWithPassword(
  auth: Auth,
  req: FastifyRequest,
  door: PasswordDoor,
  email: string,
  password: string,
): Promise<Response | null | 'limited'> {
  const { passwordGuesses, mail, settings } = req.server.services;
  if (await passwordGuesses.isLimited(email)) return 'limited';
  const ctx = await auth.$context;
  const found = await ctx.internalAdapter.findUserByEmail(email.toLowerCase());
  const refuse = async () => {
    if ((await passwordGuesses.failed(email)) && found) {
      req.log.warn({ userId: found.user.id }, 'password sign-in limited after too many wrong passwords');
      const org = await settings.get();
      const at = new Date();
      // In the owner's language (a contributor's chosen one), not the language of whoever guessed.
      const tr = req.server.i18n.translator(await req.server.services.profile.language(found.user.id));
      await mail.enqueue(tooManyGuessesEmail(found.user.email, org.name, req.server.config.baseUrl, tr), {
        key: `password-guesses:${found.user.id}:${Math.floor(at.getTime() / GUESS_WINDOW_MS)}`,
        kind: 'password-guesses',
      });
    }
    return null;
  };
  const role = (found?.user as { role?: string } | undefined)?.role;
  const belongs = door === 'staff' ? (staffRoles as readonly (string | undefined)[]).includes(role) : role === CONTRIBUTOR_ROLE;
  if (found && !belongs) {
    await ctx.password.hash(password);
    return refuse();
  }
  const response = await auth.api.signInEmail({
    body: { email: email.toLowerCase(), password },
    headers: toWebHeaders(req),
    asResponse: true,
  });
  if (!response.ok) return refuse();
  await passwordGuesses.succeeded(email);
  return response;
}
