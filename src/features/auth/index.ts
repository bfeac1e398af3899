import type { Feature } from '#src/platform/feature.ts';
import authRoutes from './routes.ts';

export const authFeature: Feature = {
  name: 'auth',
  routes: authRoutes,
};
