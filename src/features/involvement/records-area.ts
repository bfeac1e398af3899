import type { FeatureArea } from '#src/platform/feature.ts';
import { createRecordsService, type RecordsService } from './records-service.ts';
import { createPaymentSettings, type PaymentSettingsDocument } from './settings.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    involvementRecords: RecordsService;
    paymentSettings: PaymentSettingsDocument;
  }
}

// Involvement records: every piece of involvement by every person, from meetings' attendance,
// opportunities, reviews, or written by hand by staff.
export const recordsArea: FeatureArea = {
  services: (ctx) => ({
    involvementRecords: createRecordsService(ctx.db, ctx),
    paymentSettings: createPaymentSettings(ctx.services.settings),
  }),
  personalData: {
    async export({ services }, userId) {
      return { involvementRecords: await services.involvementRecords.exportFor(userId) };
    },
  },
};
