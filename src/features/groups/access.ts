import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { canSeeRegister, isContributor, type CurrentUser } from '#src/platform/identity/roles.ts';
import { groupMembers, type memberRoles } from './tables.ts';

// Who may see what in a group: the one place the rules live, used by every area (groups, members,
// documents, meetings, calendars). Involvement staff and admins run groups and see them all;
// other staff and contributors see a group's private page, documents, meeting links and minutes
// only while they are members. Tested as each role in groups-access.test.ts.

export type Membership = { role: (typeof memberRoles)[number] } | null;

export async function membershipOf(db: Db | Tx, groupId: number, userId: string | undefined): Promise<Membership> {
  if (!userId) return null;
  const [row] = await db
    .select({ role: groupMembers.role })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  return row ?? null;
}

// Staff who run groups: add members, see every group, its members and their access requests.
export const runsGroups = (user: CurrentUser | null | undefined): boolean => canSeeRegister(user);

// The private side of a group (page, members, documents, meeting links, minutes).
export const canSeeInside = (user: CurrentUser | null | undefined, membership: Membership) => runsGroups(user) || membership !== null;

// A meeting's page and calendar file: an open event (no group) is public; a group's meeting is
// for its members and the staff who run groups, and for any signed-in contributor when the group
// lets anyone register for it. A meeting whose minutes staff published to everyone is public too
// (its page then shows what was published and nothing of the joining link). The joining link is
// stricter still (registered people, close to the time): see the meetings area.
export async function canSeeMeeting(
  db: Db | Tx,
  user: CurrentUser | null | undefined,
  meeting: { groupId: number | null; registration: string; minutesPublic: boolean; minutesPublishedAt: Date | null },
) {
  if (meeting.groupId === null) return true;
  if (meeting.minutesPublic && meeting.minutesPublishedAt) return true;
  if (!user) return false;
  if (runsGroups(user)) return true;
  if (meeting.registration === 'open' && isContributor(user)) return true;
  return (await membershipOf(db, meeting.groupId, user.id)) !== null;
}
