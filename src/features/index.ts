import type { Feature } from '../lib/feature.ts';
import { healthFeature } from './health/index.ts';
import { authFeature } from './auth/index.ts';
import { siteFeature } from './site/index.ts';
import { storiesFeature } from './stories/index.ts';
import { commentsFeature } from './comments/index.ts';
import { mailFeature } from './mail/index.ts';
import { newslettersFeature } from './newsletters/index.ts';
import { contributorsFeature } from './contributors/index.ts';
import { auditFeature } from './audit/index.ts';
import { organisationsFeature } from './organisations/index.ts';

// Order matters for seeds: site settings first, then stories, then their comments.
export const features: Feature[] = [
  healthFeature,
  authFeature,
  siteFeature,
  storiesFeature,
  commentsFeature,
  mailFeature,
  newslettersFeature,
  contributorsFeature,
  auditFeature,
  organisationsFeature,
];
