import type { Feature } from '#src/platform/feature.ts';
import { createRulesService, type RulesService } from './service.ts';
import rulesRoutes from './routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    rules: RulesService;
  }
}

// The community rules: how to take part respectfully, what is removed, how to report and how
// moderation works. Comment forms and report pages link to /rules; admins edit it.
export const rulesFeature: Feature = {
  name: 'rules',
  services: ({ db, services }) => ({ rules: createRulesService(db, services.settings, services.audit) }),
  auditActions: { 'rules.changed': 'rules.admin.audit.changed' },
  routes: rulesRoutes,
  adminLinks: [
    { href: '/admin/rules', order: 81, text: 'rules.admin.nav.text', description: 'rules.admin.nav.description', adminOnly: true },
  ],
  footerNav: [{ href: '/rules', text: 'rules.nav.footer' }],
};
