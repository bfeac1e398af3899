import type { PersonalData, RetentionRule } from '#src/platform/feature.ts';

// Following a page by email, in the person's data and the retention rules. A follow is its own
// consent, kept by address with or without an account, like a newsletter subscription: the
// download lists the account address's follows, and deleting the account leaves the confirmed ones
// (every update has a one-click unsubscribe). Follows never confirmed are erased with the account,
// and after 30 days in any case: the person never agreed to anything.
export const followsPersonalData = {
  async export({ services }: Parameters<NonNullable<PersonalData['export']>>[0], email: string | undefined) {
    return { followedPages: email ? await services.newsletters.follows.forEmail(email) : [] };
  },
  erase: (async ({ services }, subject, tx) => {
    await services.newsletters.follows.erasePendingFor(subject.email, tx);
  }) satisfies NonNullable<PersonalData['erase']>,
};

export const followsRetention: RetentionRule = {
  kind: 'unconfirmed-follows',
  name: 'follows of a page by email never confirmed',
  run: ({ services }, now) => services.newsletters.follows.purgeUnconfirmed(now),
};
