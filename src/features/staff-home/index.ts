import type { Feature } from '#src/platform/feature.ts';
import staffHomeRoutes from './routes.ts';

// The staff area's front page (/admin): counts of waiting work and links to every staff area.
export const staffHomeFeature: Feature = {
  name: 'staff-home',
  routes: staffHomeRoutes,
};
