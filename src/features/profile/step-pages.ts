import type { Db, Tx } from '#src/db/client.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Result } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
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
  benefitsOptions,
  regionKey,
  regionOptions,
  timeOptions,
  wayOptions,
} from './schema.ts';

// One page per profile step: its template and title, the order of its fields (for the error
// summary), the saved answers it shows, the choices it offers (in the page's language), and how it saves.
export type StepPage = {
  path: string;
  template: string;
  pageTitle: string;
  order: string[];
  values: (profile: ProfileService, u: CurrentUser, p: ProfileRow | null) => Promise<Record<string, unknown>> | Record<string, unknown>;
  choices?: (
    profile: ProfileService,
    values: Record<string, unknown>,
    tr: Translator,
  ) => Promise<Record<string, unknown>> | Record<string, unknown>;
  save: (profile: ProfileService, u: CurrentUser, form: unknown, runner?: Db | Tx) => Promise<Result>;
};

const asList = (v: unknown): string[] => (v === undefined || v === null || v === '' ? [] : ([v].flat() as unknown[]).map(String));
// Each option's words are `profile.options.<list>.<value>` (and `.<value>Hint`) in the catalogue.
const items = (tr: Translator, list: string, opts: readonly { value: string; hint?: string }[], chosen: unknown) =>
  opts.map((o) => ({
    value: o.value,
    text: tr.t(`profile.options.${list}.${o.value}`),
    hint: o.hint ? { text: tr.t(`profile.options.${list}.${o.value}Hint`) } : undefined,
    checked: asList(chosen).includes(o.value),
  }));
const radios = (tr: Translator, list: string, opts: readonly { value: string }[], chosen: unknown) =>
  opts.map((o) => ({ value: o.value, text: tr.t(`profile.options.${list}.${o.value}`), checked: chosen === o.value }));

export const stepPages: StepPage[] = [
  {
    path: '/profile/details',
    template: 'profile/views/step-details.njk',
    pageTitle: msg('profile.steps.details.title'),
    order: ['name', 'preferredName', 'phone'],
    values: (_s, u, p) => ({ name: u.name, preferredName: p?.preferredName, phone: p?.phone }),
    save: (s, u, f, r) => s.saveDetails(u, f, r),
  },
  {
    path: '/profile/contact',
    template: 'profile/views/step-contact.njk',
    pageTitle: msg('profile.steps.contact.title'),
    order: ['contactMethods', 'phone', 'postalAddress', 'formats', 'interpreterLanguage'],
    values: (_s, _u, p) => ({
      contactMethods: p?.contactMethods ?? [],
      phone: p?.phone,
      postalAddress: p?.postalAddress,
      formats: p?.formats ?? [],
      interpreterLanguage: p?.interpreterLanguage,
    }),
    choices: (_s, v, tr) => ({
      contactItems: items(tr, 'contactMethods', contactMethodOptions, v.contactMethods),
      formatItems: items(tr, 'formats', formatOptions, v.formats),
    }),
    save: (s, u, f, r) => s.saveContact(u, f, r),
  },
  {
    path: '/profile/lived-experience',
    template: 'profile/views/step-lived-experience.njk',
    pageTitle: msg('profile.steps.livedExperience.title'),
    order: ['terms', 'notes'],
    values: async (s, u, p) => ({ terms: (await s.chosenTerms(u.id)).map((t) => String(t.id)), notes: p?.livedExperienceNotes }),
    async choices(s, v, tr) {
      const chosen = asList(v.terms);
      const groups = s.termsByCategory(await s.terms(), tr.lang);
      return {
        groups: groups.map((g) => ({
          ...g,
          text: tr.t(`profile.options.termCategories.${g.value}`),
          items: g.terms.map((t) => ({ value: String(t.id), text: t.label, checked: chosen.includes(String(t.id)) })),
        })),
      };
    },
    save: (s, u, f, r) => s.saveLivedExperience(u, f, r),
  },
  {
    path: '/profile/interests',
    template: 'profile/views/step-interests.njk',
    pageTitle: msg('profile.steps.interests.title'),
    order: ['interests'],
    values: (_s, _u, p) => ({ interests: p?.interests ?? [] }),
    choices: (_s, v, tr) => ({ interestItems: items(tr, 'interests', interestOptions, v.interests) }),
    save: (s, u, f, r) => s.saveInterests(u, f, r),
  },
  {
    path: '/profile/availability',
    template: 'profile/views/step-availability.njk',
    pageTitle: msg('profile.steps.availability.title'),
    order: ['availableTimes', 'availableWays', 'region'],
    values: (_s, _u, p) => ({ availableTimes: p?.availableTimes ?? [], availableWays: p?.availableWays ?? [], region: p?.region }),
    choices: (_s, v, tr) => ({
      timeItems: items(tr, 'times', timeOptions, v.availableTimes),
      wayItems: items(tr, 'ways', wayOptions, v.availableWays),
      regionItems: [
        { value: '', text: tr.t('profile.availability.region.choose') },
        ...regionOptions.map((r) => ({ value: r, text: tr.t(regionKey(r)), selected: v.region === r })),
      ],
    }),
    save: (s, u, f, r) => s.saveAvailability(u, f, r),
  },
  {
    path: '/profile/access-needs',
    template: 'profile/views/step-access-needs.njk',
    pageTitle: msg('profile.steps.accessNeeds.title'),
    order: ['accessNeeds', 'accessNeedsNotes'],
    values: (_s, _u, p) => ({ accessNeeds: p?.accessNeeds ?? [], accessNeedsNotes: p?.accessNeedsNotes }),
    choices: (_s, v, tr) => ({ accessItems: items(tr, 'accessNeeds', accessNeedOptions, v.accessNeeds) }),
    save: (s, u, f, r) => s.saveAccessNeeds(u, f, r),
  },
  {
    path: '/profile/payment',
    template: 'profile/views/step-payment.njk',
    pageTitle: msg('profile.steps.payment.title'),
    order: ['paymentPreference', 'receivesBenefits', 'publicSectorEmployee'],
    values: (_s, _u, p) => ({
      paymentPreference: p?.paymentPreference,
      receivesBenefits: p?.receivesBenefits,
      publicSectorEmployee: p?.publicSectorEmployee,
    }),
    choices: (_s, v, tr) => ({
      paymentItems: radios(tr, 'payment', paymentOptions, v.paymentPreference),
      benefitsItems: radios(tr, 'benefits', benefitsOptions, v.receivesBenefits),
      publicSectorItems: radios(tr, 'publicSector', publicSectorOptions, v.publicSectorEmployee),
    }),
    save: (s, u, f, r) => s.savePayment(u, f, r),
  },
  {
    path: '/profile/diversity',
    template: 'profile/views/step-diversity.njk',
    pageTitle: msg('profile.diversity.title'),
    order: [],
    values: async (s, u) => (await s.diversityAnswers(u.id)) ?? {},
    choices: (_s, v, tr) => ({ questions: diversityItems(v, tr) }),
    save: (s, u, f, r) => s.saveDiversity(u, f, r),
  },
];
