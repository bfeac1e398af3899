import type { ProfileRow } from './repository.ts';
import {
  accessNeedOptions,
  contactMethodOptions,
  formatOptions,
  interestOptions,
  paymentOptions,
  publicSectorOptions,
  timeOptions,
  wayOptions,
} from './schema.ts';

const textOf = (opts: readonly { value: string; text: string }[], value: string) => opts.find((o) => o.value === value)?.text ?? value;

// A profile's answers in words rather than stored codes: for the person's own "Download my data"
// and for the staff page about them. Equality monitoring is not part of the profile.
export function readableProfile(profile: ProfileRow | null) {
  return {
    preferredName: profile?.preferredName ?? null,
    phone: profile?.phone ?? null,
    postalAddress: profile?.postalAddress ?? null,
    contactMethods: (profile?.contactMethods ?? []).map((m) => textOf(contactMethodOptions, m)),
    formats: (profile?.formats ?? []).map((f) => textOf(formatOptions, f)),
    interpreterLanguage: profile?.interpreterLanguage ?? null,
    interests: (profile?.interests ?? []).map((i) => textOf(interestOptions, i)),
    availableTimes: (profile?.availableTimes ?? []).map((t) => textOf(timeOptions, t)),
    availableWays: (profile?.availableWays ?? []).map((w) => textOf(wayOptions, w)),
    region: profile?.region ?? null,
    accessNeeds: (profile?.accessNeeds ?? []).map((a) => textOf(accessNeedOptions, a)),
    otherAccessNeeds: profile?.accessNeedsNotes ?? null,
    paymentPreference: profile?.paymentPreference ? textOf(paymentOptions, profile.paymentPreference) : null,
    publicSectorEmployee: profile?.publicSectorEmployee ? textOf(publicSectorOptions, profile.publicSectorEmployee) : null,
  };
}
