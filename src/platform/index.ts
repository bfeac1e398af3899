import type { Feature } from './feature.ts';
import { eventsModule } from './events.ts';
import { settingsModule } from './settings/index.ts';
import { jobsModule } from './jobs/index.ts';
import { identityModule } from './identity/index.ts';
import { mailModule } from './mail/index.ts';
import { auditModule } from './audit/index.ts';

// The platform tier: what every feature may use. Built, started and registered before any feature,
// in this order (each may use the ones before it); stopped after them, in reverse.
export const platformModules: Feature[] = [eventsModule, settingsModule, jobsModule, identityModule, mailModule, auditModule];
