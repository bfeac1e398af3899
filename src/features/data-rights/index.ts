import type { Feature } from '#src/platform/feature.ts';
import dataRightsRoutes from './routes.ts';
import { createDataRightsService, type DataRightsService } from './service.ts';
import { consentEvents } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    dataRights: DataRightsService;
  }
}

// A contributor's rights over their data: consent history, "Download my data", "Delete my account".
export const dataRightsFeature: Feature = {
  name: 'data-rights',
  services: (ctx) => ({ dataRights: createDataRightsService(ctx.db, ctx) }),
  routes: dataRightsRoutes,
  auditActions: {
    'contributor.data-downloaded': 'dataRights.audit.dataDownloaded',
    'contributor.account-deleted': 'dataRights.audit.accountDeleted',
  },
  // Consent records outlive the account, with no link to the person, so the organisation can show
  // when consent was given and withdrawn.
  personalData: {
    tables: [consentEvents],
    async export({ services }, userId) {
      const consents = await services.dataRights.consentsOf(userId);
      return {
        consents: consents.map((c) => ({
          purpose: c.purpose,
          action: c.action,
          privacyNoticeVersion: c.privacyNoticeVersion,
          at: c.at.toISOString(),
          ...(c.source ? { howGiven: c.source } : {}),
        })),
      };
    },
    sections: [{ template: 'data-rights/views/_my-data-consents.njk', order: 45 }],
    erase: ({ services }, subject, tx) => services.dataRights.anonymiseConsents(subject.id, tx),
  },
};
