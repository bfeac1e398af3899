import { and, eq, inArray, ne } from 'drizzle-orm';
import { reviewComments, reviewReviewers } from './tables.ts';
import type { FeatureArea } from '#src/platform/feature.ts';
import { createRepeatingJob } from '#src/platform/jobs/repeating.ts';
import { createReviewRemindersService, type ReviewRemindersService } from './reminders-service.ts';
import reviewingAnswerRoutes from './reviewing-answer-routes.ts';
import reviewingRoutes from './reviewing-routes.ts';
import { createReviewingService, type ReviewingService } from './reviewing-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    reviewing: ReviewingService;
    reviewReminders: ReviewRemindersService;
  }
}

// Reminders are looked for every fifteen minutes: each is due within a 12-hour window and noted
// on the reviewer (and keyed in the mail log), so a missed round or a second instance sends
// nothing twice.
const reminderJob = createRepeatingJob({
  everyMs: 15 * 60_000,
  work: ({ services }) => services.reviewReminders.sendDue(new Date()),
  failure: 'review reminders failed',
});

// Reviewers read the document section by section, comment, answer the questions and submit;
// reminders before the deadline; requests for another format or more time (README "Document
// reviews").
export const reviewingArea: FeatureArea = {
  services: (ctx) => ({ reviewing: createReviewingService(ctx.db, ctx), reviewReminders: createReviewRemindersService(ctx) }),
  async routes(app) {
    await app.register(reviewingRoutes);
    await app.register(reviewingAnswerRoutes);
  },
  jobs: reminderJob,
  auditActions: {
    'review.submitted': 'A reviewer sent their review of a document (it became an involvement record they can claim for)',
    'review.request-made': 'A reviewer asked for a document in another format, or for more time',
  },
  personalData: {
    export: async ({ services }, userId) => ({ reviews: await services.reviewing.exportFor(userId) }),
    sections: [{ template: 'reviews/views/reviewing/_my-data.njk', order: 72 }],
    // Invitations, answers and requests go with the account (foreign keys cascade); comments in a
    // review they sent stay, their reviewer set to null, for the organisation's record (ADR 24).
    // Comments in a review they never sent were never given to us: they go now.
    erase: async (_ctx, subject, tx) => {
      const unsent = tx
        .select({ id: reviewReviewers.id })
        .from(reviewReviewers)
        .where(and(eq(reviewReviewers.userId, subject.id), ne(reviewReviewers.state, 'submitted')));
      await tx.delete(reviewComments).where(inArray(reviewComments.reviewerId, unsent));
    },
  },
};
