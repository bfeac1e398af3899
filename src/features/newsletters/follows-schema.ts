import { z } from 'zod';
import { emailField } from '#src/lib/fields.ts';

// Following a page asks only for an email address, with the same rules and messages as the
// newsletter sign-up.
export const FollowSchema = z.object({ email: emailField });

// How long a confirmation link works, and how long a follow never confirmed is kept.
export const FOLLOW_CONFIRM_DAYS = 7;
export const FOLLOW_PENDING_DAYS = 30;
// A second request for the same page soon after the first sends no second email, so the form
// cannot be used to flood someone's inbox.
export const FOLLOW_RESEND_AFTER_MS = 10 * 60_000;
