import type { Feature } from '#src/platform/feature.ts';
import { createAccountService, type AccountService } from './service.ts';
import accountRoutes from './routes.ts';
import accountEmailRoutes from './email-routes.ts';
import twoFactorRoutes from './two-factor-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    staffAccount: AccountService;
  }
}

// Every member of staff's own account (/account): name and job title, email address, password,
// two-factor sign-in with recovery codes; for admins, whether all staff must use two-factor sign-in.
// The account rows belong to identity (and its personal data duties with them).
export const accountFeature: Feature = {
  name: 'account',
  services: (ctx) => ({ staffAccount: createAccountService(ctx) }),
  async routes(app) {
    await app.register(accountRoutes);
    await app.register(accountEmailRoutes);
    await app.register(twoFactorRoutes);
  },
  auditActions: {
    'account.details-changed': 'A member of staff changed their name or job title',
    'account.email-change-requested': 'A member of staff asked to change their email address',
    'account.email-changed': 'A member of staff confirmed a new email address',
    'account.password-changed': 'A member of staff changed their password',
    'account.two-factor-on': 'A member of staff turned on two-factor sign-in',
    'account.two-factor-off': 'A member of staff turned off two-factor sign-in',
    'account.recovery-codes-renewed': 'A member of staff made new recovery codes',
    'account.two-factor-required': 'An admin required two-factor sign-in for all staff',
    'account.two-factor-optional': 'An admin made two-factor sign-in optional for staff',
  },
};
