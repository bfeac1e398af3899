// Limits that keep bots and floods out of the comment queue. The defaults suit a public site;
// tests and benchmarks pass their own through the service's `policy` option.
export type SpamPolicy = {
  // A person takes longer than this to read a story and write; a script does not.
  minFillMs: number;
  // A form left open longer than this is stale: the person is asked to send it again.
  maxStampAgeMs: number;
  perIp: { max: number; windowMs: number };
  perEmail: { max: number; windowMs: number };
  reportsPerIp: { max: number; windowMs: number };
};

export const defaultSpamPolicy: SpamPolicy = {
  minFillMs: 3_000,
  maxStampAgeMs: 24 * 60 * 60 * 1000,
  perIp: { max: 5, windowMs: 10 * 60 * 1000 },
  perEmail: { max: 10, windowMs: 60 * 60 * 1000 },
  reportsPerIp: { max: 5, windowMs: 10 * 60 * 1000 },
};

// The stamp and honeypot helpers live in src/lib so every public form shares them.
export { checkStamp, honeypotFilled, signStamp, type StampCheck } from '#src/lib/form-stamp.ts';
