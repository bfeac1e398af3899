import type { ReviewingRepository } from './reviewing-repository.ts';

// "Download my data": every review the person was invited to, with their comments under each
// section's heading, their answers and their requests. (Answers and requests go with the account;
// comments stay for the organisation's record with no reviewer named.)
export async function exportReviewsOf(repo: ReviewingRepository, userId: string) {
  const rows = await repo.mine(userId);
  const reviewIds = rows.map((r) => r.review.id);
  const reviewerIds = rows.map((r) => r.reviewer.id);
  const [sections, questions, comments, answers, requests] = await Promise.all([
    repo.sectionsOf(reviewIds),
    repo.questionsOf(reviewIds),
    repo.commentsOf(reviewerIds),
    repo.answersOf(reviewerIds),
    repo.requests(reviewerIds),
  ]);
  const heading = new Map(sections.map((s) => [s.id, s.heading]));
  const question = new Map(questions.map((q) => [q.id, q.label]));
  return rows.map(({ review, reviewer }) => ({
    title: review.title,
    state: reviewer.state,
    reviewClosed: review.state === 'closed',
    deadline: review.deadline,
    invitedAt: reviewer.invitedAt,
    respondedAt: reviewer.respondedAt,
    declineReason: reviewer.declineReason,
    lastSavedAt: reviewer.lastSavedAt,
    submittedAt: reviewer.submittedAt,
    minutesSpent: reviewer.minutesSpent,
    nameInSummary: reviewer.nameInSummary,
    comments: comments
      .filter((c) => c.reviewerId === reviewer.id)
      .map((c) => ({ section: heading.get(c.sectionId) ?? '', comment: c.body })),
    answers: answers
      .filter((a) => a.reviewerId === reviewer.id)
      .map((a) => ({ question: question.get(a.questionId) ?? '', answer: a.text ?? a.values.join(', ') })),
    requests: requests
      .filter((q) => q.reviewerId === reviewer.id)
      .map((q) => ({ kind: q.kind, detail: q.detail, madeAt: q.createdAt, handledAt: q.handledAt, handledNote: q.handledNote })),
  }));
}
