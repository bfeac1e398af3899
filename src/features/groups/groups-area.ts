import type { FeatureArea } from '#src/platform/feature.ts';
import groupsAdminRoutes from './groups-admin-routes.ts';
import membersAdminRoutes from './members-admin-routes.ts';
import groupsRoutes from './groups-routes.ts';
import membershipRoutes from './membership-routes.ts';
import { documentDownloadRoutes, documentsAdminRoutes } from './documents-routes.ts';
import { createGroupsService, type GroupsService } from './groups-service.ts';
import { createMembersService, type MembersService } from './members-service.ts';
import { createInvitationsService, type InvitationsService } from './invitations-service.ts';
import { createDocumentsService, type DocumentsService } from './documents-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    // Groups themselves; the meetings area reads them with byId, memberIds and membersOf.
    groups: GroupsService;
    groupMembers: MembersService;
    groupInvitations: InvitationsService;
    // A group's papers and its announcements.
    groupDocuments: DocumentsService;
  }
}

// Groups, their members, invitations, documents and announcements (README "Groups").
export const groupsArea: FeatureArea = {
  services: (ctx) => ({
    groups: createGroupsService(ctx.db, ctx),
    groupMembers: createMembersService(ctx.db, ctx),
    groupInvitations: createInvitationsService(ctx.db, ctx),
    groupDocuments: createDocumentsService(ctx.db, ctx),
  }),
  async routes(app) {
    // Separate plugins so the staff guard covers only the staff routes.
    await app.register(groupsAdminRoutes);
    await app.register(membersAdminRoutes);
    await app.register(documentsAdminRoutes);
    await app.register(documentDownloadRoutes);
    await app.register(groupsRoutes);
    await app.register(membershipRoutes);
  },
  auditActions: {
    'group.created': 'Staff made a group',
    'group.changed': 'Staff changed the details of a group',
    'group.archived': 'Staff archived a group (read-only from then on)',
    'group.members-added': 'Staff added people to a group (from the register or an opportunity)',
    'group.invitation-sent': 'Staff invited someone to a group by email',
    'group.invitation-accepted': 'Someone accepted an invitation to a group',
    'group.member-role-changed': "Staff changed a member's role in a group",
    'group.member-removed': 'Staff removed someone from a group',
    'group.member-left': 'Someone left a group',
    'group.document-added': 'Staff added a document to a group',
    'group.document-deleted': 'Staff deleted a document from a group',
    'group.announcement-posted': "Staff posted an announcement to a group's members (emailed to them)",
  },
  mainNav: [{ href: '/groups', text: 'groups.nav.main' }],
  adminLinks: [
    { href: '/admin/groups', order: 36, text: 'groups.nav.admin.text', description: 'groups.nav.admin.description', registerOnly: true },
  ],
  personalData: {
    export: async ({ services }, userId) => ({
      groups: {
        memberships: await services.groupMembers.exportFor(userId),
        invitationsAccepted: await services.groupInvitations.exportFor(userId),
      },
    }),
    sections: [{ template: 'groups/views/_my-data.njk', order: 62 }],
    erase: async ({ services }, subject, tx) => {
      await services.groupInvitations.erase(subject, tx);
    },
  },
};
