import { combineAreas } from '#src/platform/feature.ts';
import { commitmentsArea, commitmentPages } from './commitments-area.ts';
import { saidDidArea } from './said-did-area.ts';
import { standardsArea } from './standards-area.ts';
import { assessingArea } from './assessing-area.ts';
import { seedDemoAccountability } from './demo.ts';
import {
  assessmentActions,
  assessmentContributorViews,
  assessmentEvidence,
  assessmentParticipants,
  assessmentRatings,
  assessmentRounds,
  commitmentHistory,
  commitments,
  commitmentUpdates,
  saidDidEntries,
} from './tables.ts';

// Holding us to account (issue 15; README "Commitments, you said we did, and the involvement
// standards"). Four areas, each in its own files: public commitments with progress (commitments-*),
// the "you said, we did" log (said-did-*), the standards and assessment rounds staff keep
// (standards-*), and contributors co-assessing a round (assessing-*). Staff are named on what
// they wrote (set null when their account goes); a contributor's co-assessment goes with the account.
export const accountabilityFeature = {
  ...combineAreas(
    'accountability',
    [
      commitments,
      commitmentUpdates,
      commitmentHistory,
      saidDidEntries,
      assessmentRounds,
      assessmentRatings,
      assessmentEvidence,
      assessmentActions,
      assessmentParticipants,
      assessmentContributorViews,
    ],
    [commitmentsArea, saidDidArea, standardsArea, assessingArea, { seed: seedDemoAccountability }],
  ),
  ...commitmentPages,
};
