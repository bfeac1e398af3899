import { z } from 'zod';
import { optionalText, personName, phonePattern } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';

// Option lists keep their English words (`text`) for staff pages and imports; pages for contributors
// show `profile.options.<list>.<value>` from the catalogue.

export const DetailsSchema = z.object({
  name: personName(msg('profile.details.name.missing'), msg('profile.details.name.label')),
  preferredName: optionalText(msg('profile.details.preferredName.name'), 120).refine(
    (v) => !v || !/[<>]/.test(v),
    msg('profile.details.preferredName.characters'),
  ),
  phone: z
    .string()
    .max(20, msg('profile.errors.phoneTooLong'))
    .optional()
    .refine((v) => !v || phonePattern.test(v), msg('profile.errors.phoneFormat'))
    .transform((v) => v || null),
});

// Form checkboxes arrive as a string (one ticked), an array (several) or nothing.
// `message` is a msg() saying what to select.
const choices = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? [] : [v].flat()), z.array(z.enum(values, { error: message })).max(values.length))
    .transform((v) => [...new Set(v)]);

export const contactMethodOptions = [
  { value: 'email', text: 'Email' },
  { value: 'phone', text: 'Phone' },
  { value: 'post', text: 'Post' },
] as const;
export const formatOptions = [
  { value: 'large-print', text: 'Large print' },
  { value: 'easy-read', text: 'Easy read' },
  { value: 'bsl', text: 'British Sign Language (BSL)' },
  { value: 'interpreter', text: 'An interpreter' },
] as const;
export const interestOptions = [
  { value: 'reviewing', text: 'Reviewing documents', hint: 'Reading reports, leaflets or web pages and telling us what you think' },
  { value: 'groups', text: 'Groups', hint: 'Joining a group that meets regularly, such as a lived experience group' },
  { value: 'events', text: 'Events', hint: 'Speaking at or taking part in events and conferences' },
  { value: 'co-design', text: 'Co-design', hint: 'Working with staff to design a service, project or piece of research' },
  { value: 'surveys', text: 'Surveys', hint: 'Answering questions online or on paper' },
] as const;
const values = <T extends readonly { value: string }[]>(opts: T) =>
  opts.map((o) => o.value) as unknown as readonly [T[number]['value'], ...T[number]['value'][]];

export const ContactSchema = z
  .object({
    contactMethods: choices(values(contactMethodOptions), msg('profile.contact.methods.fromList')),
    phone: z.string().max(20, msg('profile.errors.phoneTooLong')).optional(),
    postalAddress: optionalText(msg('profile.contact.postalAddress.label'), 500),
    formats: choices(values(formatOptions), msg('profile.contact.formats.fromList')),
    interpreterLanguage: optionalText(msg('profile.contact.interpreter.name'), 80),
  })
  .superRefine((v, ctx) => {
    if (v.contactMethods.includes('phone') && !(v.phone && phonePattern.test(v.phone))) {
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: v.phone ? msg('profile.errors.phoneFormat') : msg('profile.contact.phone.missing'),
      });
    }
    if (v.contactMethods.includes('post') && !v.postalAddress) {
      ctx.addIssue({ code: 'custom', path: ['postalAddress'], message: msg('profile.contact.postalAddress.missing') });
    }
    if (v.formats.includes('interpreter') && !v.interpreterLanguage) {
      ctx.addIssue({ code: 'custom', path: ['interpreterLanguage'], message: msg('profile.contact.interpreter.missing') });
    }
  })
  .transform((v) => ({
    ...v,
    phone: v.contactMethods.includes('phone') ? v.phone! : null,
    postalAddress: v.contactMethods.includes('post') ? v.postalAddress : null,
    interpreterLanguage: v.formats.includes('interpreter') ? v.interpreterLanguage : null,
  }));

export const InterestsSchema = z.object({
  interests: choices(values(interestOptions), msg('profile.interests.fromList')),
});

// Term ids are checked against the live taxonomy by the service.
export const LivedExperienceSchema = z.object({
  terms: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z
      .array(
        z
          .string()
          .regex(/^\d{1,9}$/, msg('profile.livedExperience.fromList'))
          .transform(Number),
      )
      .max(200),
  ),
  notes: optionalText(msg('profile.livedExperience.notes.name'), 2000),
});

export const termCategories = [
  { value: 'condition', text: 'Conditions' },
  { value: 'service', text: 'Services used' },
  { value: 'caring', text: 'Caring roles' },
] as const;

export const TermSchema = z.object({
  category: z.enum(values(termCategories), { error: msg('profile.admin.terms.errors.category') }),
  label: z
    .string({ error: msg('profile.admin.terms.errors.missing') })
    .min(1, msg('profile.admin.terms.errors.missing'))
    .max(100, msg('profile.admin.terms.errors.tooLong'))
    .refine((v) => !/[<>\p{Cc}]/u.test(v), msg('profile.admin.terms.errors.characters')),
});

export const timeOptions = [
  { value: 'weekday-daytime', text: 'Weekdays, during the day' },
  { value: 'weekday-evening', text: 'Weekday evenings' },
  { value: 'weekend', text: 'Weekends' },
] as const;
export const wayOptions = [
  { value: 'online', text: 'Online, for example by video call' },
  { value: 'in-person', text: 'In person' },
  { value: 'phone', text: 'By phone' },
] as const;
export const regionOptions = [
  'North East England',
  'North West England',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East England',
  'South West England',
  'Wales',
  'Scotland',
  'Northern Ireland',
  'Outside the UK',
] as const;
export const accessNeedOptions = [
  { value: 'step-free', text: 'Step-free access' },
  { value: 'hearing-loop', text: 'A hearing loop' },
  { value: 'captions', text: 'Captions or a transcript at online meetings' },
  { value: 'papers-early', text: 'Papers well before a meeting' },
  { value: 'breaks', text: 'Regular breaks' },
  { value: 'quiet-space', text: 'A quiet space' },
  { value: 'support-person', text: 'To bring a support worker or carer' },
] as const;
export const paymentOptions = [
  { value: 'fee', text: 'I would like to be paid for my time' },
  { value: 'no-fee', text: 'I would prefer not to be paid' },
  { value: 'vouchers', text: 'I would prefer vouchers' },
] as const;
export const publicSectorOptions = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'not-sure', text: 'I am not sure' },
] as const;
export const benefitsOptions = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'prefer-not-to-say', text: 'Prefer not to say' },
] as const;

// Every field is optional: an error only ever names the one field that holds something we cannot use.
export const AvailabilitySchema = z.object({
  availableTimes: choices(values(timeOptions), msg('profile.availability.times.fromList')),
  availableWays: choices(values(wayOptions), msg('profile.availability.ways.fromList')),
  region: z
    .preprocess((v) => (v === '' ? undefined : v), z.enum(regionOptions, { error: msg('profile.availability.region.fromList') }).optional())
    .transform((v) => v ?? null),
});

export const AccessNeedsSchema = z.object({
  accessNeeds: choices(values(accessNeedOptions), msg('profile.accessNeeds.fromList')),
  accessNeedsNotes: optionalText(msg('profile.accessNeeds.notes.name'), 2000),
});

// A radio left unanswered arrives as nothing: both questions are optional.
const optionalChoice = <T extends readonly [string, ...string[]]>(options: T, message: string) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.enum(options, { error: message }).optional()).transform((v) => v ?? null);

export const PaymentSchema = z.object({
  paymentPreference: optionalChoice(values(paymentOptions), msg('profile.payment.preference.fromList')),
  publicSectorEmployee: optionalChoice(values(publicSectorOptions), msg('profile.payment.publicSector.fromList')),
  receivesBenefits: optionalChoice(values(benefitsOptions), msg('profile.payment.benefitsQuestion.fromList')),
});

// This feature's steps, in the order the task list shows them (other features add theirs, such as
// partner organisations at 80). Titles and hints are catalogue keys.
const step = (key: string, href: string, order: number, name: string) => ({
  key,
  title: `profile.steps.${name}.title`,
  href,
  hint: `profile.steps.${name}.hint`,
  order,
});
export const profileSteps = [
  step('details', '/profile/details', 10, 'details'),
  step('contact', '/profile/contact', 20, 'contact'),
  step('lived-experience', '/profile/lived-experience', 30, 'livedExperience'),
  step('interests', '/profile/interests', 40, 'interests'),
  step('availability', '/profile/availability', 50, 'availability'),
  step('access-needs', '/profile/access-needs', 60, 'accessNeeds'),
  step('payment', '/profile/payment', 70, 'payment'),
  { ...step('diversity', '/profile/diversity', 90, 'diversity'), private: true },
];

// A region's key in the catalogue (profile.options.region.<slug>): the stored value is its English name.
export const regionKey = (region: string) => `profile.options.region.${region.toLowerCase().replace(/[^a-z]+/g, '-')}`;
