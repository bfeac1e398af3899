import type { Feature } from '#src/platform/feature.ts';
import staffAccountsRoutes from './routes.ts';
import invitationRoutes from './invitation-routes.ts';
import { createStaffAccountsService, type StaffAccountsService } from './service.ts';
import { seedDemoStaffAccounts } from './demo.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    staffAccounts: StaffAccountsService;
  }
}

// Staff accounts without the command line: admins invite colleagues, change roles, deactivate and
// reactivate (/admin/users); an invited colleague chooses a password from an emailed link. The
// accounts themselves are identity's (src/platform/identity/staff-accounts.ts), and so is their
// personal data: the invitation goes with the account.
export const staffAccountsFeature: Feature = {
  name: 'staff-accounts',
  services: (ctx) => ({ staffAccounts: createStaffAccountsService(ctx) }),
  async routes(app) {
    // Separate plugins so the admin guard covers only the admin pages.
    await app.register(staffAccountsRoutes);
    await app.register(invitationRoutes);
  },
  adminLinks: [
    {
      href: '/admin/users',
      order: 85,
      text: 'staff-accounts.admin.nav.text',
      description: 'staff-accounts.admin.nav.description',
      adminOnly: true,
    },
  ],
  seed: seedDemoStaffAccounts,
  auditActions: {
    'staff.invited': 'staff-accounts.admin.audit.invited',
    'staff.invitation-resent': 'staff-accounts.admin.audit.invitationResent',
    'staff.invitation-cancelled': 'staff-accounts.admin.audit.invitationCancelled',
    'staff.invitation-accepted': 'staff-accounts.admin.audit.invitationAccepted',
    'staff.role-changed': 'staff-accounts.admin.audit.roleChanged',
    'staff.deactivated': 'staff-accounts.admin.audit.deactivated',
    'staff.reactivated': 'staff-accounts.admin.audit.reactivated',
    'staff.two-factor-removed': 'staff-accounts.admin.audit.twoFactorRemoved',
  },
};
