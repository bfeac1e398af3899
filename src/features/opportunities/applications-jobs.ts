import type { RetentionRule } from '#src/platform/feature.ts';
import { createHourlyJob } from './hourly-job.ts';

const yesterday = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

// The contacts' daily digest of a busy day's applications: sent once per opportunity and day (the
// email's key), so several instances or restarts send it once.
export const createDigestJob = () =>
  createHourlyJob(
    (ctx) => ctx.services.applications.sendDigests(yesterday(new Date())),
    'could not send the applications digest; it is tried again within the hour',
  );

// Applications are personal data kept for the selection and a while after (APPLICATION_RETENTION_MONTHS).
export const applicationsRetention: RetentionRule = {
  kind: 'opportunity-applications',
  name: 'applications to opportunities archived long ago',
  run: ({ services, config }, now) => services.applications.eraseArchived(now, config.applicationRetentionMonths),
};
