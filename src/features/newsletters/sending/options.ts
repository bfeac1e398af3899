export type SenderOptions = {
  // Messages per second; 0 sends as fast as the SMTP server accepts them.
  rate: number;
  // Messages handed to the transport at once; 0 lets the transport say (two per SMTP connection).
  concurrency: number;
  // A person whose server said "try later" (4xx) is tried this many times in all, waiting
  // retryBaseMs, then twice as long each time, before being marked failed.
  maxAttempts: number;
  retryBaseMs: number;
  pageSize: number;
};
export const defaultSenderOptions: SenderOptions = { rate: 0, concurrency: 0, maxAttempts: 5, retryBaseMs: 60_000, pageSize: 500 };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
