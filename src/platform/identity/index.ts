import type { Feature } from '#src/platform/feature.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { createAuth, type Auth } from './better-auth.ts';
import identityPlugin from './plugin.ts';
import { createIdentityService, type IdentityService } from './service.ts';
import { createSignInLinks } from './sign-in-links.ts';
import { createPasswordReset, type PasswordReset } from './password-reset.ts';
import { account, passkey, session, signInLinkRequests, staffInvitations, twoFactor, user } from './tables.ts';

declare module '#src/platform/events.ts' {
  interface DomainEvents {
    // A signed-in person chose the language of the interface (src/plugins/language.ts).
    'language.chosen': [userId: string, lang: Lang];
  }
}

declare module '#src/platform/services.ts' {
  interface Services {
    auth: Auth;
    identity: IdentityService;
    passwordReset: PasswordReset;
  }
}

// Accounts, roles, sessions and sign-in (better-auth). Its plugin finds the signed-in person for
// every request, and its guards (plugin.ts) protect every feature's routes.
export const identityModule: Feature = {
  name: 'identity',
  services: ({ db, config, services, i18n }) => {
    const links = createSignInLinks(db, { config, mail: services.mail, settings: services.settings, i18n });
    const passwordReset = createPasswordReset({ config, mail: services.mail, settings: services.settings, i18n });
    const auth = createAuth(db, config, {
      sendMagicLink: (request) => links.send(request),
      sendPasswordReset: (r) => passwordReset.send(r),
    });
    passwordReset.use(auth);
    return { auth, identity: createIdentityService(db, auth, links), passwordReset };
  },
  routes: identityPlugin,
  personalData: {
    // staff_invitations names the invited account (goes with it) and the admin who invited (set null);
    // two_factor (an authenticator secret and recovery codes, encrypted) goes with the account row.
    tables: [user, session, account, passkey, signInLinkRequests, staffInvitations, twoFactor],
    async export({ services }, userId) {
      const [account, signIn] = await Promise.all([services.identity.findAccountById(userId), services.identity.signInMethodsOf(userId)]);
      if (!account) return {};
      return {
        account: {
          id: account.id,
          fullName: account.name,
          email: account.email,
          role: account.role,
          createdAt: account.createdAt.toISOString(),
        },
        signInMethods: {
          emailLink: true,
          password: signIn.password,
          ...(signIn.twoFactor ? { twoFactor: true } : {}),
          passkeys: signIn.passkeys.map((k) => ({
            name: k.name ?? 'Passkey',
            kind: k.deviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey on one device',
            added: k.createdAt ? k.createdAt.toISOString() : null,
          })),
        },
      };
    },
    sections: [
      { template: 'identity/views/_my-data-account.njk', order: 10 },
      { template: 'identity/views/_my-data-sign-in.njk', order: 60 },
    ],
    // Last of all (the list runs in reverse): the account row, with its sessions, password and passkeys.
    async erase({ services }, subject, tx) {
      await services.identity.forgetSignInRequests(subject.email, tx);
      await services.identity.deleteAccount(subject.id, tx);
    },
  },
};
