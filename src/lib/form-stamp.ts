import { createHmac, timingSafeEqual } from 'node:crypto';

// Spam defences shared by the public forms (comments, partner organisations): a signed,
// timestamped hidden field for a minimum fill time, and a honeypot field people never see.

export type StampPolicy = {
  // A person takes longer than this to read a page and fill in a form; a script does not.
  minFillMs: number;
  // A form left open longer than this is stale: the person is asked to send it again.
  maxStampAgeMs: number;
};

const STAMP_VERSION = 'v1';

// `purpose` names the form, so a stamp issued for one form is worthless on another.
function mac(secret: string, issuedAt: number, purpose: string): string {
  return createHmac('sha256', secret).update(`${purpose}-stamp:${STAMP_VERSION}:${issuedAt}`).digest('base64url');
}

// "v1.<issued at, ms, base 36>.<HMAC>": readable by nobody but us, forgeable by nobody without
// the secret, and stateless so any instance can check a stamp another issued.
export function signStamp(secret: string, issuedAt: number, purpose = 'comment-form'): string {
  const at = Math.floor(issuedAt);
  return `${STAMP_VERSION}.${at.toString(36)}.${mac(secret, at, purpose)}`;
}

export type StampCheck = 'ok' | 'missing' | 'forged' | 'too-fast' | 'expired';

export function checkStamp(stamp: unknown, secret: string, now: number, policy: StampPolicy, purpose = 'comment-form'): StampCheck {
  if (typeof stamp !== 'string' || stamp === '') return 'missing';
  const parts = stamp.split('.');
  if (parts.length !== 3 || parts[0] !== STAMP_VERSION || !/^[0-9a-z]{1,12}$/.test(parts[1]!)) return 'forged';
  const issuedAt = parseInt(parts[1]!, 36);
  const expected = Buffer.from(mac(secret, issuedAt, purpose));
  const given = Buffer.from(parts[2]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  const age = now - issuedAt;
  // A stamp from the future (beyond small clock drift between instances) was not issued by us.
  if (age < -60_000) return 'forged';
  if (age < policy.minFillMs) return 'too-fast';
  if (age > policy.maxStampAgeMs) return 'expired';
  return 'ok';
}

// The honeypot is a field people never see; anything typed into it came from a script.
export const honeypotFilled = (value: unknown) => typeof value === 'string' && value.trim() !== '';
