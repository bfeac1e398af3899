import { z } from 'zod';
import { emailField, optionalText, personName } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';

export const DetailsSchema = z.object({
  name: personName(msg('account.admin.details.errors.nameMissing'), msg('account.admin.details.name')),
  jobTitle: optionalText(msg('account.admin.details.jobTitle'), 120),
});

export const EmailChangeSchema = z.object({ email: emailField });

export const RequirementSchema = z.object({
  requireTwoFactor: z.enum(['yes', 'no'], { error: msg('account.admin.twoFactor.required.errors.choose') }),
});
