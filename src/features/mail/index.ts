import type { Feature } from '../../lib/feature.ts';
import mailRoutes from './routes.ts';

export const mailFeature: Feature = {
  name: 'mail',
  routes: mailRoutes,
  adminLinks: [{ href: '/admin/mail', text: 'Emails', description: 'Emails sent by the site, and any that are failing to send.' }],
};
