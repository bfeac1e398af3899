import type { Feature } from '../../lib/feature.ts';
import authRoutes from './routes.ts';

export const authFeature: Feature = {
  name: 'auth',
  routes: authRoutes,
};
