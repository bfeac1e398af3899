import { z } from 'zod';
import { emailField, optionalText, personName } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { staffRoles } from '#src/platform/identity/roles.ts';

const K = 'staff-accounts.admin';
const role = z.enum(staffRoles, { error: msg(`${K}.fields.role.missing`) });

export const InviteSchema = z.object({
  name: personName(msg(`${K}.fields.name.missing`), msg(`${K}.fields.name.label`)),
  email: emailField,
  role,
  jobTitle: optionalText(msg(`${K}.fields.jobTitle.label`), 120),
});

export const RoleSchema = z.object({ role });

// A page number from the address: anything unusable is the first page, never an error.
export const pageNumber = (v: unknown) => {
  const n = Number(typeof v === 'string' ? v : 1);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
};
