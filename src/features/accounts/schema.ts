import { z } from 'zod';
import { emailField, personName } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';

export const JoinSchema = z.object({
  name: personName(msg('accounts.fields.fullNameMissing'), msg('accounts.fields.fullName')),
  email: emailField,
  consent: z.literal('yes', { error: msg('accounts.join.consent.missing') }),
});

export const SignInLinkSchema = z.object({ email: emailField });
