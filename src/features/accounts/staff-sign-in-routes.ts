import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { msg } from '#src/lib/messages.ts';
import { safeNext } from '#src/lib/safe-next.ts';
import { errorSummary, trimmed, validateForm } from '#src/lib/forms.ts';
import { forwardCookies, toWebHeaders } from '#src/platform/identity/plugin.ts';
import { signInWithPassword } from './password-sign-in.ts';
import { TOO_MANY_GUESSES } from './password-guesses.ts';
import { needsSecondStep } from './two-factor-sign-in-routes.ts';

const SignInSchema = z.object({
  email: z
    .string()
    .min(1, msg('fields.email.missing'))
    .pipe(z.email(msg('fields.email.format'))),
  password: z
    .string()
    .min(1, msg('accounts.errors.passwordMissing'))
    .max(256, msg('accounts.errors.passwordTooLong', { max: 256 })),
  next: z.string().optional(),
});

// Only ever send people back to a page on this site (#src/lib/safe-next.ts).
const nextOrAdmin = (next: unknown) => safeNext(next, '/admin');

// Staff sign in with a password at /sign-in (contributors use an emailed link or /sign-in/password).
export default async function staffSignInRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { next?: string; reset?: string; expired?: string } }>('/sign-in', async (req, reply) => {
    if (req.currentUser) return reply.redirect(nextOrAdmin(req.query.next));
    return reply.render('accounts/views/staff-sign-in.njk', {
      values: { next: nextOrAdmin(req.query.next) },
      passwordChanged: req.query.reset === 'done',
      secondStepExpired: req.query.expired === '1',
    });
  });

  app.post('/sign-in', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(SignInSchema, body);
    const values = { email: body.email, next: nextOrAdmin(body.next) };
    if (!result.ok) {
      return reply.render(
        'accounts/views/staff-sign-in.njk',
        { values, errors: result.errors, errorList: errorSummary(result.errors, ['email', 'password']) },
        400,
      );
    }
    // Staff accounts only: contributors with a password sign in at /sign-in/password.
    const response = await signInWithPassword(app.auth, req, 'staff', result.value.email, result.value.password);
    if (response === 'limited') {
      const errors = { email: TOO_MANY_GUESSES };
      return reply.render('accounts/views/staff-sign-in.njk', { values, errors, errorList: errorSummary(errors) }, 429);
    }
    if (!response) {
      // Same message whether the email or the password was wrong, so accounts cannot be probed.
      const errors = { email: msg('accounts.errors.wrongPassword') };
      req.log.info('sign-in refused');
      return reply.render('accounts/views/staff-sign-in.njk', { values, errors, errorList: errorSummary(errors) }, 400);
    }
    forwardCookies(response, reply);
    // Two-factor sign-in is on: better-auth started no session, only a 10-minute challenge.
    if (await needsSecondStep(response)) return reply.redirect(`/sign-in/two-factor?next=${encodeURIComponent(values.next)}`, 303);
    return reply.redirect(values.next, 303);
  });

  app.post('/sign-out', async (req, reply) => {
    if (req.currentUser) {
      const response = await app.auth.api.signOut({ headers: toWebHeaders(req), asResponse: true });
      forwardCookies(response, reply);
    }
    return reply.redirect('/signed-out', 303);
  });
}
