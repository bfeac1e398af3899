import type { FeatureArea } from '#src/platform/feature.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import { createAccessRequestsService, type AccessRequestsService } from './access-requests-service.ts';
import { createMeetingEvidence } from './evidence-service.ts';
import { createAttendanceService, type AttendanceService } from './attendance-service.ts';
import meetingsAdminRoutes from './meetings-admin-routes.ts';
import meetingsStaffRoutes from './meetings-staff-routes.ts';
import meetingsRoutes from './meetings-routes.ts';
import { createMeetingsService, type MeetingsService } from './meetings-service.ts';
import { createRegistrationsService, type RegistrationsService } from './registrations-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    meetings: MeetingsService;
    meetingRegistrations: RegistrationsService;
    meetingAccessRequests: AccessRequestsService;
    meetingAttendance: AttendanceService;
  }
}

// Meetings and open events: registration, the waiting list, access requests, attendance and
// minutes (README "Meetings").
export const meetingsArea: FeatureArea = {
  services: (ctx) => ({
    meetings: createMeetingsService(ctx.db, ctx),
    meetingRegistrations: createRegistrationsService(ctx.db, ctx),
    meetingAccessRequests: createAccessRequestsService(ctx.db, ctx),
    meetingAttendance: createAttendanceService(ctx.db, ctx),
    meetingEvidence: createMeetingEvidence(ctx.db),
  }),
  async routes(app) {
    // Separate plugins so the staff access check covers only the staff routes.
    await app.register(meetingsRoutes);
    await app.register(meetingsAdminRoutes);
    await app.register(meetingsStaffRoutes);
  },
  mainNav: [{ href: '/events', text: 'meetings.nav.main' }],
  adminLinks: [
    {
      href: '/admin/meetings',
      order: 37,
      text: 'meetings.nav.admin.text',
      description: 'meetings.nav.admin.description',
      registerOnly: true,
    },
  ],
  async adminSummary({ services }, user) {
    if (!canSeeRegister(user)) return [];
    return [
      { text: 'meetings.nav.admin.toArrange', href: '/admin/meetings', count: await services.meetingAccessRequests.pendingUpcoming() },
    ];
  },
  retention: [
    {
      kind: 'meeting-access-needs',
      name: 'access needs given for meetings that ended a while ago',
      run: ({ services, config }, now) => services.meetingAccessRequests.eraseAfter(now, config.meetingAccessRetentionDays),
    },
  ],
  auditActions: {
    'meeting.created': 'Staff scheduled a meeting or open event',
    'meeting.changed': 'Staff changed a meeting (people registered were told of changes to its time, place or link)',
    'meeting.cancelled': 'Staff cancelled a meeting (people registered were told)',
    'meeting.place-cancelled': "Staff cancelled someone's place at a meeting (they were told)",
    'meeting.registrations-viewed': 'Staff looked at the people registered for a meeting',
    'meeting.access-needs-viewed': 'Staff looked at the access needs people gave for a meeting',
    'meeting.access-need-arranged': 'Staff marked an access need arranged (the person was told)',
    'meeting.attendance-recorded': 'Staff recorded who attended a meeting',
    'meeting.minutes-saved': 'Staff wrote or published the minutes of a meeting',
  },
  personalData: {
    async export({ services }, userId) {
      const [meetingRegistrations, meetingAttendance] = await Promise.all([
        services.meetingRegistrations.exportFor(userId),
        services.meetingAttendance.exportFor(userId),
      ]);
      return { meetingRegistrations, meetingAttendance };
    },
    sections: [{ template: 'groups/views/meetings/_my-data.njk', order: 66 }],
    // Registrations, access requests and attendance go with the account (foreign keys cascade);
    // first the person's places are given to whoever is waiting.
    erase: async ({ services }, subject, tx) => {
      await services.meetingRegistrations.releasePlacesOf(subject.id, tx);
    },
  },
};
