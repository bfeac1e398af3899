import type { Translator } from '#src/lib/i18n.ts';
import type { ProfileRow } from './repository.ts';
import {
  accessNeedOptions,
  contactMethodOptions,
  formatOptions,
  interestOptions,
  paymentOptions,
  publicSectorOptions,
  benefitsOptions,
  regionKey,
  timeOptions,
  wayOptions,
} from './schema.ts';

type Options = readonly { value: string; text: string }[];

// A profile's answers in words rather than stored codes: for the person's own "Download my data"
// (in their language, `tr`) and for the staff page about them (English, the lists' own words).
// Equality monitoring is not part of the profile.
export function readableProfile(profile: ProfileRow | null, tr?: Translator) {
  const textOf = (list: string, opts: Options, value: string) =>
    tr ? tr.t(`profile.options.${list}.${value}`) : (opts.find((o) => o.value === value)?.text ?? value);
  const all = (list: string, opts: Options, values: string[] | null | undefined) => (values ?? []).map((v) => textOf(list, opts, v));
  return {
    preferredName: profile?.preferredName ?? null,
    phone: profile?.phone ?? null,
    postalAddress: profile?.postalAddress ?? null,
    contactMethods: all('contactMethods', contactMethodOptions, profile?.contactMethods),
    formats: all('formats', formatOptions, profile?.formats),
    interpreterLanguage: profile?.interpreterLanguage ?? null,
    interests: all('interests', interestOptions, profile?.interests),
    availableTimes: all('times', timeOptions, profile?.availableTimes),
    availableWays: all('ways', wayOptions, profile?.availableWays),
    region: profile?.region ? (tr ? tr.t(regionKey(profile.region), { defaultValue: profile.region }) : profile.region) : null,
    accessNeeds: all('accessNeeds', accessNeedOptions, profile?.accessNeeds),
    otherAccessNeeds: profile?.accessNeedsNotes ?? null,
    paymentPreference: profile?.paymentPreference ? textOf('payment', paymentOptions, profile.paymentPreference) : null,
    publicSectorEmployee: profile?.publicSectorEmployee ? textOf('publicSector', publicSectorOptions, profile.publicSectorEmployee) : null,
    receivesBenefits: profile?.receivesBenefits ? textOf('benefits', benefitsOptions, profile.receivesBenefits) : null,
  };
}
