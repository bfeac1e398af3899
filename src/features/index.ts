import type { Feature } from '#src/platform/feature.ts';
import { healthFeature } from './health/index.ts';
import { authFeature } from './auth/index.ts';
import { siteFeature } from './site/index.ts';
import { storiesFeature } from './stories/index.ts';
import { commentsFeature } from './comments/index.ts';
import { newslettersFeature } from './newsletters/index.ts';
import { organisationsFeature } from './organisations/index.ts';
import { contributorsFeature } from './contributors/index.ts';

// Every capability, one line each. Order matters: a feature's services may use those of the
// features before it (comments use stories), and demo content is seeded in this order (settings,
// then stories, then their comments).
export const features: Feature[] = [
  healthFeature,
  authFeature,
  siteFeature,
  storiesFeature,
  commentsFeature,
  newslettersFeature,
  organisationsFeature,
  contributorsFeature,
];
