import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLang, type Lang } from '#src/lib/i18n.ts';
import { LANG_COOKIE } from '#src/plugins/language.ts';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

// Someone who chose a language on their profile sees their pages in it from the moment they sign
// in, on any device: the language cookie follows the profile.
// A language the person chose before signing in: the cookie (not ?lang= alone, which a shared link carries).
export const chosenBeforeSignIn = (req: FastifyRequest): Lang | null => {
  const cookie = req.cookies?.[LANG_COOKIE];
  return isLang(cookie) ? cookie : null;
};

export function followProfileLanguage(req: FastifyRequest, reply: FastifyReply, language: Lang | null, secure: boolean) {
  if (!language || req.cookies?.[LANG_COOKIE] === language) return;
  reply.setCookie(LANG_COOKIE, language, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: YEAR_SECONDS });
}
