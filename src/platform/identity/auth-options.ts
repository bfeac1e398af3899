// What the better-auth instance is made with, and what the rest of the app needs of it without
// loading it (better-auth.ts): cookie names, link lifetimes, the passkey relying party, hashing.

export const SESSION_COOKIE_PREFIX = 'coproduce';
export const MAGIC_LINK_MINUTES = 15;

// What better-auth hands us when it has made a sign-in link: we send our own email with a link to
// our own page (a Continue button), never better-auth's GET endpoint that a link scanner could use.
export type MagicLinkRequest = { email: string; token: string; metadata?: Record<string, unknown> };
// WebAuthn refuses IP addresses as a relying party, so a site run on a loopback address (development,
// the end-to-end journeys) offers passkeys at http://localhost on the same port instead.
export function passkeyRelyingParty(baseUrl: string) {
  const url = new URL(baseUrl);
  if (!/^(127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)) return { rpID: url.hostname, origins: [url.origin] };
  const local = new URL(url.origin);
  local.hostname = 'localhost';
  return { rpID: 'localhost', origins: [url.origin, local.origin] };
}

// How passwords are hashed and checked: better-auth's own (scrypt, N=16384, r=16, in libuv's thread
// pool), named here so that the test run can remember answers it has already worked out
// (tests/helpers/passwords.ts, ADR 14). Each call costs 0.1–0.2 s of CPU and the tests make
// thousands of them with a handful of passwords. The app always calls through this object.
// better-auth's hashing module is loaded on the first call, like the rest of better-auth (below).
export const passwordHashing = {
  hash: async (password: string): Promise<string> => (await import('better-auth/crypto')).hashPassword(password),
  verify: async (data: { hash: string; password: string }): Promise<boolean> => (await import('better-auth/crypto')).verifyPassword(data),
};

export const PASSWORD_RESET_MINUTES = 60;
// What better-auth hands us when someone asked to choose a new password (for an address with an
// account: it never calls us for an unknown one). We decide whether to send (password-reset.ts).
export type PasswordResetRequest = { user: { id: string; email: string; name: string }; token: string };

export type AuthDeps = {
  sendMagicLink?: (request: MagicLinkRequest) => Promise<void>;
  sendPasswordReset?: (request: PasswordResetRequest) => Promise<void>;
};
