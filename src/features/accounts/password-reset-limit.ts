import type { GuessStore } from './password-guesses.ts';

// How many reset emails one address may be sent in an hour: enough for a lost email or two, too few
// to flood someone's inbox. Counted by address, known or not, so the limit tells nobody anything.
export const RESET_REQUESTS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;

export async function resetRequestAllowed(store: GuessStore, email: string, limit = RESET_REQUESTS_PER_HOUR): Promise<boolean> {
  return (await store.fail(`password-reset:${email.trim().toLowerCase()}`, HOUR_MS)) <= limit;
}
