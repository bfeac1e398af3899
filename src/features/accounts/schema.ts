import { z } from 'zod';
import { emailField, personName } from '#src/lib/fields.ts';

export const JoinSchema = z.object({
  name: personName('Enter your full name', 'Full name'),
  email: emailField,
  consent: z.literal('yes', { error: 'Confirm that you have read the privacy notice and agree to us keeping your information' }),
});

export const SignInLinkSchema = z.object({ email: emailField });
