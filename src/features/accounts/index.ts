import type { Feature } from '#src/platform/feature.ts';
import { createAccountsService, type AccountsService } from './service.ts';
import { createPasswordGuesses, memoryGuessStore, redisGuessStore, type PasswordGuesses } from './password-guesses.ts';
import emailLinkRoutes from './routes.ts';
import staffSignInRoutes from './staff-sign-in-routes.ts';
import passwordSignInRoutes from './password-sign-in-routes.ts';
import signInMethodsRoutes from './sign-in-methods-routes.ts';
import passwordResetRoutes from './password-reset-routes.ts';
import twoFactorSignInRoutes from './two-factor-sign-in-routes.ts';
import wayInRoutes from './way-in-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    accounts: AccountsService;
    passwordGuesses: PasswordGuesses;
  }
}

// Getting in: joining the contributor network and signing in by emailed link, staff sign-in,
// contributors' passwords and passkeys. Accounts themselves belong to the platform (identity).
export const accountsFeature: Feature = {
  name: 'accounts',
  services: (ctx) => ({
    accounts: createAccountsService(ctx),
    passwordGuesses: createPasswordGuesses(ctx.config.redisUrl ? redisGuessStore(ctx.config.redisUrl) : memoryGuessStore()),
  }),
  jobs: { start: async () => {}, stop: async ({ services }) => services.passwordGuesses.store.close() },
  async routes(app) {
    // Separate plugins so each area's access hook covers only its own routes.
    await app.register(emailLinkRoutes);
    await app.register(staffSignInRoutes);
    await app.register(passwordSignInRoutes);
    await app.register(signInMethodsRoutes);
    await app.register(passwordResetRoutes);
    await app.register(twoFactorSignInRoutes);
    await app.register(wayInRoutes);
  },
  mainNav: [{ href: '/join', text: 'accounts.nav.getInvolved' }],
  auditActions: { 'account.password-reset': 'Someone chose a new password with an emailed link' },
};
