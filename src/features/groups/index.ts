import { combineAreas } from '#src/platform/feature.ts';
import { groupsArea } from './groups-area.ts';
import { meetingsArea } from './meetings-area.ts';
import { calendarArea } from './calendar-area.ts';
import { seedDemoGroups } from './demo.ts';
import {
  calendarFeeds,
  groupAnnouncements,
  groupDocuments,
  groupInvitations,
  groupMembers,
  groups,
  meetingAccessRequests,
  meetingAttendance,
  meetingRegistrations,
  meetings,
} from './tables.ts';

// Groups and meetings (issue 12; README "Groups and meetings"): lived-experience panels and other
// groups with members and roles, their private pages, documents and announcements; meetings with
// registration, a waiting list and per-meeting access requests; calendars, reminders, attendance
// and minutes.
// Three areas, each declared in its own file and combined here. Memberships, registrations, access
// requests, attendance and calendar feeds go with the account (foreign keys cascade); invitations
// are erased by the address they were sent to. Groups, announcements, documents and meetings name
// only the staff who made them.
export const groupsFeature = combineAreas(
  'groups',
  [
    groups,
    groupMembers,
    groupInvitations,
    groupAnnouncements,
    groupDocuments,
    meetings,
    meetingRegistrations,
    meetingAccessRequests,
    meetingAttendance,
    calendarFeeds,
  ],
  [groupsArea, meetingsArea, calendarArea, { seed: seedDemoGroups }],
);
