import { createHash, createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';

// The preference link in every email: the subscriber's id and an HMAC of it, so it needs no
// password and no database lookup to check, and cannot be guessed or altered. It does not expire:
// an unsubscribe link in an old email must keep working. `purpose` keeps each kind of link to its
// own use: a followed page's unsubscribe token is not a newsletter preference token.
export function createPreferenceTokens(secret: string, purpose = 'coproduce:newsletter-preferences') {
  // One key object for every token: a newsletter signs one per recipient.
  const key = createSecretKey(createHmac('sha256', secret).update(purpose).digest());
  const mac = (id: number) => createHmac('sha256', key).update(String(id)).digest('base64url').slice(0, 32);
  return {
    sign(subscriberId: number): string {
      return `${subscriberId}.${mac(subscriberId)}`;
    },
    // The subscriber id, or null for anything forged, altered or malformed.
    verify(token: unknown): number | null {
      if (typeof token !== 'string' || token.length > 64) return null;
      const m = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]{32})$/.exec(token);
      if (!m) return null;
      const id = Number(m[1]);
      if (id > 2_147_483_647) return null;
      const expected = Buffer.from(mac(id));
      const given = Buffer.from(m[2]!);
      return timingSafeEqual(expected, given) ? id : null;
    },
  };
}
export type PreferenceTokens = ReturnType<typeof createPreferenceTokens>;

// Confirmation links carry a random single-use token; only its hash is stored, so a leaked
// database cannot be used to confirm anyone.
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashConfirmToken(token) };
}

export function hashConfirmToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const looksLikeConfirmToken = (token: unknown): token is string => typeof token === 'string' && /^[A-Za-z0-9_-]{32}$/.test(token);
