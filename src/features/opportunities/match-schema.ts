import { z } from 'zod';
import { msg } from '#src/lib/messages.ts';

const K = 'opportunity-matches';
const list = (v: unknown) => (v === undefined || v === null || v === '' ? [] : [v].flat());

// A contributor's two choices, as ticked boxes: "alerts" (email me new matches) and "invitations"
// (staff may invite me). A box left unticked sends nothing, so an empty form turns both off.
export const emailChoices = ['alerts', 'invitations'] as const;
export const EmailChoicesSchema = z.object({
  choices: z.preprocess(
    list,
    z.array(z.enum(emailChoices, { error: msg(`${K}.choices.invalid`) })).max(2, { error: msg(`${K}.choices.invalid`) }),
  ),
});

// The people staff ticked to invite (account ids, as the suggestions page lists them).
export const InviteSchema = z.object({
  people: z.preprocess(
    list,
    z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, { error: msg(`${K}.admin.suggestions.pick`) }))
      .min(1, { error: msg(`${K}.admin.suggestions.pick`) })
      .max(200, { error: msg(`${K}.admin.suggestions.tooMany`) })
      .transform((ids) => [...new Set(ids)]),
  ),
});
