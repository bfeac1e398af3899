import type { Feature } from '../../lib/feature.ts';
import siteRoutes from './routes.ts';
import { settings } from './tables.ts';
import { demoSettings } from './demo.ts';

export const siteFeature: Feature = {
  name: 'site',
  routes: siteRoutes,
  adminLinks: [
    {
      href: '/admin/settings',
      text: 'Settings',
      description: 'Organisation name, welcome text and how comments are moderated.',
      adminOnly: true,
    },
  ],
  async seed({ db }) {
    await db.insert(settings).values({ key: 'site', value: demoSettings }).onConflictDoNothing();
  },
};
