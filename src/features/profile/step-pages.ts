import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Result } from '#src/lib/forms.ts';
import type { ProfileService } from './service.ts';
import type { ProfileRow } from './repository.ts';
import { diversityItems } from './diversity.ts';
import {
  accessNeedOptions,
  contactMethodOptions,
  formatOptions,
  interestOptions,
  paymentOptions,
  publicSectorOptions,
  regionOptions,
  timeOptions,
  wayOptions,
} from './schema.ts';

// One page per profile step: its template and title, the order of its fields (for the error
// summary), the saved answers it shows, the choices it offers, and how it saves.
export type StepPage = {
  path: string;
  template: string;
  pageTitle: string;
  order: string[];
  values: (profile: ProfileService, u: CurrentUser, p: ProfileRow | null) => Promise<Record<string, unknown>> | Record<string, unknown>;
  choices?: (profile: ProfileService, values: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;
  save: (profile: ProfileService, u: CurrentUser, form: unknown) => Promise<Result>;
};

const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : ([v].flat() as unknown[]).map(String));
const items = (opts: readonly { value: string; text: string; hint?: string }[], chosen: unknown) =>
  opts.map((o) => ({
    value: o.value,
    text: o.text,
    hint: o.hint ? { text: o.hint } : undefined,
    checked: asList(chosen).includes(o.value),
  }));
const radios = (opts: readonly { value: string; text: string }[], chosen: unknown) =>
  opts.map((o) => ({ value: o.value, text: o.text, checked: chosen === o.value }));

export const stepPages: StepPage[] = [
  {
    path: '/profile/details',
    template: 'profile/views/step-details.njk',
    pageTitle: 'Your details',
    order: ['name', 'preferredName', 'phone'],
    values: (_s, u, p) => ({ name: u.name, preferredName: p?.preferredName, phone: p?.phone }),
    save: (s, u, f) => s.saveDetails(u, f),
  },
  {
    path: '/profile/contact',
    template: 'profile/views/step-contact.njk',
    pageTitle: 'How to contact you',
    order: ['contactMethods', 'phone', 'postalAddress', 'formats', 'interpreterLanguage'],
    values: (_s, _u, p) => ({
      contactMethods: p?.contactMethods ?? [],
      phone: p?.phone,
      postalAddress: p?.postalAddress,
      formats: p?.formats ?? [],
      interpreterLanguage: p?.interpreterLanguage,
    }),
    choices: (_s, v) => ({ contactItems: items(contactMethodOptions, v.contactMethods), formatItems: items(formatOptions, v.formats) }),
    save: (s, u, f) => s.saveContact(u, f),
  },
  {
    path: '/profile/lived-experience',
    template: 'profile/views/step-lived-experience.njk',
    pageTitle: 'Your lived experience',
    order: ['terms', 'notes'],
    values: async (s, u, p) => ({ terms: (await s.chosenTerms(u.id)).map((t) => String(t.id)), notes: p?.livedExperienceNotes }),
    async choices(s, v) {
      const chosen = asList(v.terms);
      const groups = s.termsByCategory(await s.terms());
      return {
        groups: groups.map((g) => ({
          ...g,
          items: g.terms.map((t) => ({ value: String(t.id), text: t.label, checked: chosen.includes(String(t.id)) })),
        })),
      };
    },
    save: (s, u, f) => s.saveLivedExperience(u, f),
  },
  {
    path: '/profile/interests',
    template: 'profile/views/step-interests.njk',
    pageTitle: 'Interests',
    order: ['interests'],
    values: (_s, _u, p) => ({ interests: p?.interests ?? [] }),
    choices: (_s, v) => ({ interestItems: items(interestOptions, v.interests) }),
    save: (s, u, f) => s.saveInterests(u, f),
  },
  {
    path: '/profile/availability',
    template: 'profile/views/step-availability.njk',
    pageTitle: 'Availability',
    order: ['availableTimes', 'availableWays', 'region'],
    values: (_s, _u, p) => ({ availableTimes: p?.availableTimes ?? [], availableWays: p?.availableWays ?? [], region: p?.region }),
    choices: (_s, v) => ({
      timeItems: items(timeOptions, v.availableTimes),
      wayItems: items(wayOptions, v.availableWays),
      regionItems: [
        { value: '', text: 'Choose where you live' },
        ...regionOptions.map((r) => ({ value: r, text: r, selected: v.region === r })),
      ],
    }),
    save: (s, u, f) => s.saveAvailability(u, f),
  },
  {
    path: '/profile/access-needs',
    template: 'profile/views/step-access-needs.njk',
    pageTitle: 'Access needs',
    order: ['accessNeeds', 'accessNeedsNotes'],
    values: (_s, _u, p) => ({ accessNeeds: p?.accessNeeds ?? [], accessNeedsNotes: p?.accessNeedsNotes }),
    choices: (_s, v) => ({ accessItems: items(accessNeedOptions, v.accessNeeds) }),
    save: (s, u, f) => s.saveAccessNeeds(u, f),
  },
  {
    path: '/profile/payment',
    template: 'profile/views/step-payment.njk',
    pageTitle: 'Payment preferences',
    order: ['paymentPreference', 'publicSectorEmployee'],
    values: (_s, _u, p) => ({ paymentPreference: p?.paymentPreference, publicSectorEmployee: p?.publicSectorEmployee }),
    choices: (_s, v) => ({
      paymentItems: radios(paymentOptions, v.paymentPreference),
      publicSectorItems: radios(publicSectorOptions, v.publicSectorEmployee),
    }),
    save: (s, u, f) => s.savePayment(u, f),
  },
  {
    path: '/profile/diversity',
    template: 'profile/views/step-diversity.njk',
    pageTitle: 'Equality and diversity',
    order: [],
    values: async (s, u) => (await s.diversityAnswers(u.id)) ?? {},
    choices: (_s, v) => ({ questions: diversityItems(v) }),
    save: (s, u, f) => s.saveDiversity(u, f),
  },
];
