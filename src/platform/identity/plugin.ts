import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from './better-auth.ts';
import { SESSION_COOKIE_PREFIX } from './better-auth.ts';
import { canSeeFinance, canSeeRegister, isAdmin, isContributor, isStaff, type CurrentUser } from './roles.ts';
import { AppError } from '#src/lib/errors.ts';
import { msg } from '#src/lib/messages.ts';

export function toWebHeaders(req: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return headers;
}

// Copies better-auth's Set-Cookie headers onto our reply.
export function forwardCookies(from: Response, reply: FastifyReply) {
  const cookies = from.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
}

const hasSessionCookie = (req: FastifyRequest) =>
  !!req.headers.cookie && req.headers.cookie.includes(`${SESSION_COOKIE_PREFIX}.session_token=`);

const isSecretLink = (req: FastifyRequest) => !!req.routeOptions.url?.includes(':token') || req.url.includes('token=');

// Looks up the signed-in person only when a session cookie is present, so anonymous readers
// (almost everyone) cost no database round trip. It runs as the request arrives, before any body is
// read, and the guards below are onRequest hooks too: an invented cookie with a large upload is
// refused on its headers alone (issue 17, finding 5), never read and then refused.
export default fp(
  async (app) => {
    const auth: Auth = app.services.auth;
    app.decorate('auth', auth);
    app.decorateRequest('currentUser', null);
    app.addHook('onRequest', async (req, reply) => {
      if (!hasSessionCookie(req) || req.url.startsWith('/assets/')) return;
      const found = await auth.api.getSession({ headers: toWebHeaders(req) });
      if (!found) return;
      const u = found.user as typeof found.user & {
        role?: string;
        jobTitle?: string | null;
        deactivatedAt?: Date | null;
        twoFactorEnabled?: boolean | null;
      };
      // Deactivating ends every session; this catches one started in the same moment.
      if (u.deactivatedAt) return;
      req.currentUser = {
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role ?? 'contributor',
        jobTitle: u.jobTitle ?? null,
        twoFactorEnabled: !!u.twoFactorEnabled,
      };
      reply.locals.currentUser = req.currentUser;
      reply.locals.isStaff = isStaff(req.currentUser);
      reply.locals.isAdmin = isAdmin(req.currentUser);
      reply.locals.isContributor = isContributor(req.currentUser);
      reply.locals.canSeeRegister = canSeeRegister(req.currentUser);
      reply.locals.canSeeFinance = canSeeFinance(req.currentUser);
      // A signed-in person who chooses a language (?lang=) keeps it for their emails too.
      if (req.languageChosen) app.services.events.emit('language.chosen', req.currentUser.id, req.languageChosen);
    });

    // A shared cache or the back button must never show one person's page to the next (issue 17,
    // finding 6): nothing answered to a signed-in request is stored, nor any page reached by a
    // secret link (a token in the address: newsletter preferences, sign-in links), nor what a
    // form post answers (it may echo what was typed).
    app.addHook('onSend', async (req, reply) => {
      if (req.url.startsWith('/assets/')) return;
      if (!(hasSessionCookie(req) || (req.method !== 'GET' && req.method !== 'HEAD') || isSecretLink(req))) return;
      // A route that already said no-store (with `private`, for a receipt) keeps its own words.
      if (!/\bno-store\b/.test(String(reply.getHeader('cache-control') ?? ''))) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'identity', dependencies: ['views'] },
);

// Where a member of staff sets up two-factor sign-in when an admin requires it.
export const TWO_FACTOR_SETUP_PATH = '/account/two-factor';

// When an admin requires two-factor sign-in, staff without it can reach only their own account
// page (to set it up) until they have: every other staff page sends them there.
async function twoFactorGate(req: FastifyRequest, reply: FastifyReply) {
  if (req.currentUser?.twoFactorEnabled) return;
  if (!(await req.server.services.securitySettings.get()).requireTwoFactor) return;
  return reply.redirect(`${TWO_FACTOR_SETUP_PATH}?required=1`, 303);
}

// For staff pages that do their own access checks (the staff home): only the two-factor rule.
export const requireTwoFactorWhenRequired: onRequestAsyncHookHandler = async (req, reply) => {
  if (isStaff(req.currentUser)) return twoFactorGate(req, reply);
};

// A member of staff's own account pages: reachable without two-factor sign-in, to set it up.
export const requireStaffAccount: onRequestAsyncHookHandler = async (req) => {
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  if (!isStaff(req.currentUser)) throw new AppError('FORBIDDEN');
};

export const requireStaff: onRequestAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  if (!isStaff(req.currentUser)) throw new AppError('FORBIDDEN');
  return twoFactorGate(req, reply);
};

// The contributor register (special-category data): admins and involvement staff only.
export const requireRegisterAccess: onRequestAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  if (!canSeeRegister(req.currentUser)) throw new AppError('FORBIDDEN');
  return twoFactorGate(req, reply);
};

// Claims, receipts, bank details and payments: admins and finance staff only.
export const requireFinance: onRequestAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  if (!canSeeFinance(req.currentUser)) throw new AppError('FORBIDDEN');
  return twoFactorGate(req, reply);
};

export const requireAdmin: onRequestAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) throw new AppError('UNAUTHENTICATED');
  if (!isAdmin(req.currentUser)) throw new AppError('FORBIDDEN');
  return twoFactorGate(req, reply);
};

// Pages that belong to a contributor's own account (profile, sign-in methods, their data). Someone
// signed out is sent to sign in by email link; staff accounts have no profile.
export const requireContributor: onRequestAsyncHookHandler = async (req, reply) => {
  if (!req.currentUser) return reply.redirect('/sign-in/email');
  if (!isContributor(req.currentUser)) return reply.render('errors/403.njk', { pageTitle: msg('errors.403.title') }, 403);
};

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
  }
  interface FastifyRequest {
    currentUser: CurrentUser | null;
  }
}
