import { z } from 'zod';
import { optionalText, personName, phonePattern } from '#src/lib/fields.ts';

export const DetailsSchema = z.object({
  name: personName('Enter your full name', 'Full name'),
  preferredName: optionalText('Preferred name', 120).refine((v) => !v || !/[<>]/.test(v), 'Preferred name must not include < or >'),
  phone: z
    .string()
    .max(20, 'Phone number must be 20 characters or fewer')
    .optional()
    .refine((v) => !v || phonePattern.test(v), 'Enter a phone number, like 01632 960 001 or 07700 900 982')
    .transform((v) => v || null),
});

// Form checkboxes arrive as a string (one ticked), an array (several) or nothing.
const choices = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z
    .preprocess(
      (v) => (v === undefined || v === '' ? [] : [v].flat()),
      z.array(z.enum(values, { error: `Select ${label} from the list` })).max(values.length),
    )
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
    contactMethods: choices(values(contactMethodOptions), 'how we can contact you').refine(
      (v) => v.length > 0,
      'Select at least one way we can contact you',
    ),
    phone: z.string().max(20, 'Phone number must be 20 characters or fewer').optional(),
    postalAddress: optionalText('Postal address', 500),
    formats: choices(values(formatOptions), 'formats'),
    interpreterLanguage: optionalText('Interpreter language', 80),
  })
  .superRefine((v, ctx) => {
    if (v.contactMethods.includes('phone') && !(v.phone && phonePattern.test(v.phone))) {
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: v.phone ? 'Enter a phone number, like 01632 960 001 or 07700 900 982' : 'Enter a phone number, or untick Phone',
      });
    }
    if (v.contactMethods.includes('post') && !v.postalAddress) {
      ctx.addIssue({ code: 'custom', path: ['postalAddress'], message: 'Enter your postal address, or untick Post' });
    }
    if (v.formats.includes('interpreter') && !v.interpreterLanguage) {
      ctx.addIssue({ code: 'custom', path: ['interpreterLanguage'], message: 'Enter the language you need an interpreter for' });
    }
  })
  .transform((v) => ({
    ...v,
    phone: v.contactMethods.includes('phone') ? v.phone! : null,
    postalAddress: v.contactMethods.includes('post') ? v.postalAddress : null,
    interpreterLanguage: v.formats.includes('interpreter') ? v.interpreterLanguage : null,
  }));

export const InterestsSchema = z.object({
  interests: choices(values(interestOptions), 'the kinds of involvement').refine(
    (v) => v.length > 0,
    'Select at least one kind of involvement',
  ),
});

// Term ids are checked against the live taxonomy by the service.
export const LivedExperienceSchema = z.object({
  terms: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z
      .array(
        z
          .string()
          .regex(/^\d{1,9}$/, 'Select lived experience from the list')
          .transform(Number),
      )
      .max(200),
  ),
  notes: optionalText('Anything else about your lived experience', 2000),
});

export const termCategories = [
  { value: 'condition', text: 'Conditions' },
  { value: 'service', text: 'Services used' },
  { value: 'caring', text: 'Caring roles' },
] as const;

export const TermSchema = z.object({
  category: z.enum(values(termCategories), { error: 'Select a group for the term' }),
  label: z
    .string({ error: 'Enter the term' })
    .min(1, 'Enter the term')
    .max(100, 'Term must be 100 characters or fewer')
    .refine((v) => !/[<>\p{Cc}]/u.test(v), 'Term must not include < > or control characters'),
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

export const AvailabilitySchema = z
  .object({
    availableTimes: choices(values(timeOptions), 'when you are available'),
    availableWays: choices(values(wayOptions), 'how you can take part'),
    region: z
      .preprocess((v) => (v === '' ? undefined : v), z.enum(regionOptions, { error: 'Select where you live from the list' }).optional())
      .transform((v) => v ?? null),
  })
  .refine((v) => v.availableTimes.length + v.availableWays.length > 0 || v.region, {
    message: 'Select when you are available, how you can take part or where you live',
    path: ['availableTimes'],
  });

export const AccessNeedsSchema = z.object({
  accessNeeds: choices(values(accessNeedOptions), 'access needs'),
  accessNeedsNotes: optionalText('Other access needs', 2000),
});

export const PaymentSchema = z.object({
  paymentPreference: z.enum(values(paymentOptions), { error: 'Select how you would like to be paid for your time' }),
  publicSectorEmployee: z.enum(values(publicSectorOptions), {
    error: 'Select whether you work for the NHS, a council or another public body',
  }),
});

// This feature's steps, in the order the task list shows them (other features add theirs, such as
// partner organisations at 80).
export const profileSteps = [
  {
    key: 'details',
    title: 'Your details',
    href: '/profile/details',
    hint: 'Your name, the name you like to be called and a phone number',
    order: 10,
  },
  {
    key: 'contact',
    title: 'How to contact you',
    href: '/profile/contact',
    hint: 'Email, phone or post, and formats such as large print or easy read',
    order: 20,
  },
  {
    key: 'lived-experience',
    title: 'Your lived experience',
    href: '/profile/lived-experience',
    hint: 'Conditions, services you have used, caring roles',
    order: 30,
  },
  { key: 'interests', title: 'Interests', href: '/profile/interests', hint: 'The kinds of involvement you would like to do', order: 40 },
  {
    key: 'availability',
    title: 'Availability',
    href: '/profile/availability',
    hint: 'When and how you can take part, and where you live',
    order: 50,
  },
  {
    key: 'access-needs',
    title: 'Access needs',
    href: '/profile/access-needs',
    hint: 'What helps you take part, such as step-free access or papers in advance',
    order: 60,
  },
  {
    key: 'payment',
    title: 'Payment preferences',
    href: '/profile/payment',
    hint: 'Whether you would like to be paid for your time',
    order: 70,
  },
  {
    key: 'diversity',
    title: 'Equality and diversity (optional)',
    href: '/profile/diversity',
    hint: 'Helps us check we involve people from every part of our community. Kept separately.',
    order: 90,
    private: true,
  },
];
