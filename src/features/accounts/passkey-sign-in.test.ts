import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { Browser, buildTestApp, createStaff, hiddenFields } from '#tests/helpers/app.ts';
import { passkey } from '#src/platform/identity/tables.ts';

// A software authenticator: an ES256 key pair whose public key is stored as better-auth stores a
// registered passkey, and which signs a WebAuthn assertion the way a browser hands it over.
function softAuthenticator(origin: string, rpId: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const coord = (v: string | undefined) => Buffer.from(v!, 'base64url');
  // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y} in CBOR.
  const cose = Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
    coord(jwk.x),
    Buffer.from([0x22, 0x58, 0x20]),
    coord(jwk.y),
  ]);
  const credentialID = randomBytes(16).toString('base64url');
  return {
    credentialID,
    storedPublicKey: cose.toString('base64'),
    assert(challenge: string) {
      const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }));
      const rpIdHash = createHash('sha256').update(rpId).digest();
      const authenticatorData = Buffer.concat([rpIdHash, Buffer.from([0x05]), Buffer.from([0, 0, 0, 1])]);
      const signature = sign(
        'sha256',
        Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]),
        privateKey,
      );
      const b = (x: Buffer) => x.toString('base64url');
      return {
        id: credentialID,
        rawId: credentialID,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: b(clientDataJSON), authenticatorData: b(authenticatorData), signature: b(signature) },
      };
    },
  };
}

describe('passkey sign-in through our routes', async () => {
  const { app, db, config } = await buildTestApp({ trustProxy: true });
  let address = 0;

  async function signInWithPasskey(key: ReturnType<typeof softAuthenticator>) {
    const browser = new Browser(app);
    const headers = { 'x-forwarded-for': `198.51.100.${++address}`, origin: config.baseUrl };
    const token = hiddenFields((await browser.get('/sign-in/password')).body, '/sign-in/password')._csrf!;
    const post = async (url: string, body: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { cookie: browser.cookieHeader, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ _csrf: token, ...body }),
      });
      for (const c of [res.headers['set-cookie'] ?? []].flat()) {
        const [pair] = c.split(';');
        const i = pair!.indexOf('=');
        browser.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
      }
      return res;
    };
    const options = await post('/sign-in/passkey/options', {});
    const assertion = key.assert(options.json<{ challenge: string }>().challenge);
    const verified = await post('/sign-in/passkey/verify', { response: assertion });
    return { verified, browser, replay: () => post('/sign-in/passkey/verify', { response: assertion }) };
  }

  async function givePasskey(userId: string) {
    const key = softAuthenticator(config.baseUrl, new URL(config.baseUrl).hostname);
    await db.insert(passkey).values({
      id: randomUUID(),
      name: 'Soft key',
      userId,
      publicKey: key.storedPublicKey,
      credentialID: key.credentialID,
      counter: 0,
      deviceType: 'singleDevice',
      backedUp: false,
      transports: 'internal',
    });
    return key;
  }

  it('signs a contributor in with a valid assertion, once per challenge', async () => {
    const staffMember = await createStaff(app, 'staff');
    const contributorId = randomUUID();
    const ctx = await app.auth.$context;
    await ctx.internalAdapter.createUser(
      { id: contributorId, email: `soft-${contributorId}@example.net`, name: 'Sol Soft', emailVerified: true },
      { method: 'admin' },
    );
    const created = await ctx.internalAdapter.findUserByEmail(`soft-${contributorId}@example.net`);
    const key = await givePasskey(created!.user.id);

    const { verified, browser, replay } = await signInWithPasskey(key);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ redirect: '/profile' });
    expect(String(verified.headers['set-cookie'])).toContain('session_token');
    expect((await browser.get('/profile')).statusCode).toBe(200);
    // The same assertion again: its challenge is spent.
    expect((await replay()).statusCode).toBe(400);

    // A staff account's passkey (say, a contributor later made staff) signs nobody in.
    const staffKey = await givePasskey(staffMember.id);
    const refused = await signInWithPasskey(staffKey);
    expect(refused.verified.statusCode).toBe(400);
    expect(String(refused.verified.headers['set-cookie'] ?? '')).not.toContain('session_token');
    expect((await refused.browser.get('/admin')).statusCode).toBe(302);

    // Signed by another key: refused.
    const impostor = softAuthenticator(config.baseUrl, 'localhost');
    const forged = await signInWithPasskey({
      ...impostor,
      credentialID: key.credentialID,
      assert: (c: string) => ({ ...impostor.assert(c), id: key.credentialID, rawId: key.credentialID }),
    });
    expect(forged.verified.statusCode).toBe(400);
  });
});
