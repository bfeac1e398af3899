import type { Feature } from '#src/platform/feature.ts';
import { isStaff } from '#src/platform/identity/roles.ts';
import auditRoutes from './routes.ts';
import { createAuditService, type AuditService } from './service.ts';
import { auditEvents } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    audit: AuditService;
  }
}

// The audit trail of access to and changes of people's personal data.
export const auditModule: Feature = {
  name: 'audit',
  services: ({ db, extensions, services }) => ({
    audit: createAuditService(db, { actions: extensions.auditActions, features: extensions.features, identity: services.identity }),
  }),
  routes: auditRoutes,
  adminLinks: [
    {
      href: '/admin/audit',
      order: 90,
      text: 'nav.audit.admin.log.text',
      description: 'nav.audit.admin.log.description',
      adminOnly: true,
    },
  ],
  auditActions: {
    'audit.exported': 'audit.admin.actions.exported',
  },
  // The trail holds account ids, never the data itself, and outlives deleted accounts so the
  // organisation can show what it did. A person sees when staff looked at their data, and who:
  // the member of staff's name and job title, as on their replies (someone who has since left is
  // "a member of staff").
  personalData: {
    tables: [auditEvents],
    async export({ services }, userId) {
      const accessLog = await services.audit.about(userId);
      const people = await services.audit.people(accessLog);
      return {
        recordOfAccess: accessLog.map((e) => {
          const staff = e.actorUserId && e.actorUserId !== userId ? people.get(e.actorUserId) : undefined;
          return {
            action: e.action,
            byStaff: e.actorUserId !== userId,
            ...(staff && isStaff({ ...staff }) ? { staffName: staff.name, staffJobTitle: staff.jobTitle } : {}),
            at: e.at.toISOString(),
          };
        }),
      };
    },
    sections: [{ template: 'audit/views/_my-data.njk', order: 90 }],
  },
};
