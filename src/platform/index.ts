import type { Feature } from './feature.ts';
import { eventsModule } from './events.ts';
import { settingsModule } from '#src/platform/settings/index.ts';
import { jobsModule } from '#src/platform/jobs/index.ts';
import { identityModule } from '#src/platform/identity/index.ts';
import { mailModule } from '#src/platform/mail/index.ts';
import { auditModule } from '#src/platform/audit/index.ts';
import { storageModule } from '#src/platform/storage/index.ts';

// The platform tier: what every feature may use. Built, started and registered before any feature,
// in this order (each may use the ones before it); stopped after them, in reverse.
export const platformModules: Feature[] = [
  eventsModule,
  settingsModule,
  jobsModule,
  mailModule,
  identityModule,
  auditModule,
  storageModule,
];
