import type { Feature } from '#src/platform/feature.ts';
import siteRoutes from './routes.ts';
import { demoSettings } from './demo.ts';

export const siteFeature: Feature = {
  name: 'site',
  routes: siteRoutes,
  adminLinks: [
    {
      href: '/admin/settings',
      order: 80,
      text: 'nav.site.admin.settings.text',
      description: 'nav.site.admin.settings.description',
      adminOnly: true,
    },
  ],
  async seed({ db, services }) {
    await services.settings.update(demoSettings, db);
  },
};
