import type { Db, Tx } from '#src/db/client.ts';
import type { Feature, FeatureArea, FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { commitmentOptions, insertDraftCommitment } from './commitments-lookup.ts';
import { createCommitmentNotes } from './commitments-notes.ts';
import { createCommitmentReads } from './commitments-reads.ts';
import { createCommitmentsRepository } from './commitments-repository.ts';
import { createCommitmentWrites } from './commitments-service.ts';
import { createStatusAdmin, insertDefaultStatuses } from './commitments-statuses.ts';
import commitmentsAdminRoutes from './commitments-admin-routes.ts';
import commitmentsPublicRoutes from './commitments-public-routes.ts';
import commitmentsStatusRoutes from './commitments-status-routes.ts';

export function createCommitmentsService(ctx: FeatureContext) {
  const repo = createCommitmentsRepository(ctx.db);
  return {
    ...createCommitmentWrites(ctx),
    ...createCommitmentNotes(ctx),
    ...createCommitmentReads(ctx),
    statuses: createStatusAdmin(ctx.db, repo),
    // Every commitment, drafts too, to link an entry or an action to.
    options: () => commitmentOptions(ctx.db),
    // A draft made from an assessment's action to improve, in the caller's transaction if given.
    createDraftFromAction: (
      staff: CurrentUser,
      values: { title: string; promiseMarkdown: string; dueOn: string | null; tags: string[] },
      tx?: Db | Tx,
    ) => insertDraftCommitment(tx ?? ctx.db, { ...values, createdBy: staff.id }),
  };
}
export type CommitmentsService = ReturnType<typeof createCommitmentsService>;

declare module '#src/platform/services.ts' {
  interface Services {
    commitments: CommitmentsService;
  }
}

// Public commitments with progress (issue 15; README "Commitments"): staff keep them, with their
// statuses, milestones, updates and history; the public reads them at /commitments.
export const commitmentsArea: FeatureArea = {
  services: (ctx) => ({ commitments: createCommitmentsService(ctx) }),
  async routes(app) {
    await app.register(commitmentsPublicRoutes);
    await app.register(commitmentsAdminRoutes);
    await app.register(commitmentsStatusRoutes);
  },
  // The six statuses every organisation starts with: base data, inserted once.
  async ready({ db }) {
    await insertDefaultStatuses(db);
  },
  adminLinks: [
    {
      href: '/admin/commitments',
      order: 30,
      text: 'commitmentsStaff.admin.nav.text',
      description: 'commitmentsStaff.admin.nav.description',
    },
  ],
  footerNav: [{ href: '/commitments', text: 'commitments.nav.footer' }],
  auditActions: {
    'commitment.published': 'Staff published a commitment',
    'commitment.unpublished': 'Staff unpublished a commitment',
    'commitment.status-changed': "Staff changed a commitment's status or progress",
  },
  async adminSummary({ services }) {
    const { overdue, stale } = await services.commitments.needingAttention();
    return [
      { text: 'commitmentsStaff.admin.home.overdue', href: '/admin/commitments', count: overdue },
      { text: 'commitmentsStaff.admin.home.stale', href: '/admin/commitments', count: stale },
    ];
  },
  personalData: {
    // Staff are named on what they wrote and changed; the names go with the account (set null).
    export: async ({ services }, userId) => ({ commitments: await services.commitments.personalData(userId) }),
  },
};

// The commitment page is commentable and followable (declared on the feature, not an area).
const commitmentPage = {
  type: 'commitment',
  noun: 'commitment',
  path: '/commitments/:slug',
  findByParams: ({ services }: FeatureContext, params: Record<string, string>) =>
    params.slug ? services.commitments.commentTarget({ slug: params.slug }) : Promise.resolve(null),
  findById: ({ services }: FeatureContext, id: number) => services.commitments.commentTarget({ id }),
};
export const commitmentPages: Pick<Feature, 'commentable' | 'followable'> = {
  commentable: [commitmentPage],
  followable: [commitmentPage],
};
