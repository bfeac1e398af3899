import { describe, expect, it } from 'vitest';
import { checkStamp, defaultSpamPolicy, honeypotFilled, signStamp } from './spam.ts';

const secret = 'a-test-secret-that-is-long-enough-000';
const policy = defaultSpamPolicy;
const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('form stamp', () => {
  it('accepts a stamp between 3 seconds and 24 hours old', () => {
    const stamp = signStamp(secret, t0);
    expect(checkStamp(stamp, secret, t0 + 3_000, policy)).toBe('ok');
    expect(checkStamp(stamp, secret, t0 + 23 * 60 * 60 * 1000, policy)).toBe('ok');
  });

  it('refuses a form sent less than 3 seconds after it was shown', () => {
    const stamp = signStamp(secret, t0);
    expect(checkStamp(stamp, secret, t0, policy)).toBe('too-fast');
    expect(checkStamp(stamp, secret, t0 + 2_999, policy)).toBe('too-fast');
  });

  it('calls a stamp older than 24 hours expired', () => {
    expect(checkStamp(signStamp(secret, t0), secret, t0 + 24 * 60 * 60 * 1000 + 1, policy)).toBe('expired');
  });

  it('spots a missing, malformed or forged stamp', () => {
    const stamp = signStamp(secret, t0);
    const [version, at, mac] = stamp.split('.');
    expect(checkStamp(undefined, secret, t0 + 10_000, policy)).toBe('missing');
    expect(checkStamp('', secret, t0 + 10_000, policy)).toBe('missing');
    expect(checkStamp(['a', 'b'], secret, t0 + 10_000, policy)).toBe('missing');
    expect(checkStamp('not a stamp', secret, t0 + 10_000, policy)).toBe('forged');
    // Backdating the time without the secret breaks the signature.
    const backdated = `${version}.${(t0 - 60_000).toString(36)}.${mac}`;
    expect(checkStamp(backdated, secret, t0 + 1_000, policy)).toBe('forged');
    expect(checkStamp(`${version}.${at}.${mac!.slice(0, -2)}xx`, secret, t0 + 10_000, policy)).toBe('forged');
    expect(checkStamp(signStamp('some-other-secret-entirely-0000000', t0), secret, t0 + 10_000, policy)).toBe('forged');
  });

  it('refuses a stamp from the future', () => {
    expect(checkStamp(signStamp(secret, t0 + 10 * 60_000), secret, t0, policy)).toBe('forged');
  });

  it('honours a different minimum fill time', () => {
    expect(checkStamp(signStamp(secret, t0), secret, t0, { ...policy, minFillMs: 0 })).toBe('ok');
  });
});

describe('honeypot', () => {
  it('is filled only by something typed into it', () => {
    expect(honeypotFilled(undefined)).toBe(false);
    expect(honeypotFilled('')).toBe(false);
    expect(honeypotFilled('   ')).toBe(false);
    expect(honeypotFilled('http://spam.example')).toBe(true);
  });
});
