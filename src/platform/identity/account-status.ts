import { and, eq, isNull } from 'drizzle-orm';
import { APIError } from 'better-auth/api';
import type { Db } from '#src/db/client.ts';
import { staffInvitations, user } from './tables.ts';

// Whether an account may start a session. Every way in (password, emailed link, passkey, a
// password just chosen from an invitation) makes a session through better-auth, so this one check,
// run as better-auth creates the session, covers them all: a deactivated account, or one whose
// invitation has not been accepted yet, is refused.
export async function mayStartSession(db: Db, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ deactivatedAt: user.deactivatedAt, pending: staffInvitations.userId })
    .from(user)
    .leftJoin(staffInvitations, and(eq(staffInvitations.userId, user.id), isNull(staffInvitations.acceptedAt)))
    .where(eq(user.id, userId));
  return !!row && !row.deactivatedAt && !row.pending;
}

// better-auth's database hooks for sessions: refuse a session to an account that may not sign in,
// and remember when each account last signed in (sessions themselves end at sign-out).
export function sessionHooks(db: Db) {
  return {
    create: {
      async before(session: { userId: string }) {
        if (!(await mayStartSession(db, session.userId))) throw new APIError('FORBIDDEN', { message: 'This account cannot sign in' });
      },
      async after(session: { userId: string }) {
        await db.update(user).set({ lastSignInAt: new Date() }).where(eq(user.id, session.userId));
      },
    },
  };
}
