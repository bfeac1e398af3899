import type { Feature } from '#src/platform/feature.ts';
import { healthFeature } from './health/index.ts';
import { siteFeature } from './site/index.ts';
import { staffHomeFeature } from './staff-home/index.ts';
import { storiesFeature } from './stories/index.ts';
import { commentsFeature } from './comments/index.ts';
import { newslettersFeature } from './newsletters/index.ts';
import { organisationsFeature } from './organisations/index.ts';
import { dataRightsFeature } from './data-rights/index.ts';
import { profileFeature } from './profile/index.ts';
import { accountsFeature } from './accounts/index.ts';
import { peopleFeature } from './people/index.ts';

// Every capability, one line each. Order matters: a feature's services may use those of the
// features before it (comments use stories; accounts use profile and data rights), and demo
// content is seeded in this order (settings, then stories, then their comments).
export const features: Feature[] = [
  healthFeature,
  siteFeature,
  staffHomeFeature,
  storiesFeature,
  commentsFeature,
  newslettersFeature,
  organisationsFeature,
  dataRightsFeature,
  profileFeature,
  accountsFeature,
  peopleFeature,
];
