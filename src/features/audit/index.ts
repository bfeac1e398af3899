import type { Feature } from '../../lib/feature.ts';
import auditRoutes from './routes.ts';

// The audit trail of access to and changes of people's personal data.
export const auditFeature: Feature = {
  name: 'audit',
  routes: auditRoutes,
  adminLinks: [
    {
      href: '/admin/audit',
      text: 'Audit log',
      description: 'Who looked at, downloaded or deleted whose personal data, and when.',
      adminOnly: true,
    },
  ],
};
