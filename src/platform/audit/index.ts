import type { Feature } from '#src/platform/feature.ts';
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
  services: ({ db, extensions }) => ({ audit: createAuditService(db, extensions.auditActions) }),
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
  // The trail holds account ids, never the data itself, and outlives deleted accounts so the
  // organisation can show what it did. A person sees when staff looked at their data.
  personalData: {
    tables: [auditEvents],
    async export({ services }, userId) {
      const accessLog = await services.audit.list({ subject: userId });
      return {
        recordOfAccess: accessLog.items.map((e) => ({ action: e.action, byStaff: e.actorUserId !== userId, at: e.at.toISOString() })),
      };
    },
    sections: [{ template: 'audit/views/_my-data.njk', order: 90 }],
  },
};
