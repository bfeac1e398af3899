import type { Feature } from '#src/platform/feature.ts';
import { healthFeature } from '#src/features/health/index.ts';
import { siteFeature } from '#src/features/site/index.ts';
import { staffHomeFeature } from '#src/features/staff-home/index.ts';
import { storiesFeature } from '#src/features/stories/index.ts';
import { commentsFeature } from '#src/features/comments/index.ts';
import { newslettersFeature } from '#src/features/newsletters/index.ts';
import { organisationsFeature } from '#src/features/organisations/index.ts';
import { dataRightsFeature } from '#src/features/data-rights/index.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { accountsFeature } from '#src/features/accounts/index.ts';
import { peopleFeature } from '#src/features/people/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { accountFeature } from '#src/features/account/index.ts';
import { rulesFeature } from '#src/features/rules/index.ts';
import { involvementFeature } from '#src/features/involvement/index.ts';
import { reviewsFeature } from '#src/features/reviews/index.ts';
import { accountabilityFeature } from '#src/features/accountability/index.ts';
import { opportunitiesFeature } from '#src/features/opportunities/index.ts';
import { groupsFeature } from '#src/features/groups/index.ts';

// Every capability, one line each. Order matters: a feature's services may use those of the
// features before it (comments use stories; accounts use profile and data rights), and demo
// content is seeded in this order (settings, then stories, then their comments; meetings, then
// the claims for them). A service may look up a later feature's service when it is called, never
// when it is built: groups record attendance as involvement that way.
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
  staffAccountsFeature,
  accountFeature,
  rulesFeature,
  opportunitiesFeature,
  groupsFeature,
  involvementFeature,
  reviewsFeature,
  accountabilityFeature,
];
