import { EventEmitter } from 'node:events';
import type nunjucks from 'nunjucks';
import type { DbHandle } from './db/client.ts';
import type { Config } from './config.ts';
import { createSettingsService } from './features/site/service.ts';
import { createStoriesService } from './features/stories/service.ts';
import { createCommentsService } from './features/comments/service.ts';
import { createMailService } from './features/mail/service.ts';
import { createTransport } from './features/mail/transport.ts';
import { createNewslettersService } from './features/newsletters/service.ts';
import { createQueue } from './lib/queue.ts';
import { createAuditService } from './features/audit/service.ts';
import { createContributorsService } from './features/contributors/service.ts';
import { createRegisterImports } from './features/contributors/import-service.ts';
import { createOrganisationsService } from './features/organisations/service.ts';
import { createRegisterService } from './features/contributors/register-service.ts';

// Domain events features publish so others can react without reaching into their tables.
export type DomainEvents = {
  'story.changed': [storyId: number];
  'comments.changed': [storyId: number];
};

// Built once at boot (never on the first request); routes and scripts share the same services.
export function createServices(
  database: DbHandle,
  config: Config,
  deps: { nunjucks: nunjucks.Environment; log: Parameters<typeof createQueue>[1] },
) {
  const { db } = database;
  const events = new EventEmitter<DomainEvents>();
  const settings = createSettingsService(db);
  const queue = createQueue(database, deps.log);
  const transport = createTransport({ smtpUrl: config.smtpUrl, db });
  const mail = createMailService(db, { config, queue, transport, nunjucks: deps.nunjucks, settings });
  const stories = createStoriesService(db, { events });
  const comments = createCommentsService(db, { events, settings, stories, config, mail });
  const newsletters = createNewslettersService(database, {
    config,
    queue,
    mail,
    settings,
    nunjucks: deps.nunjucks,
    transport,
    log: deps.log,
  });
  const audit = createAuditService(db);
  const organisations = createOrganisationsService(db, { config, mail, settings, audit });
  const contributors = createContributorsService(db, { config, mail, settings, audit, comments, organisations, nunjucks: deps.nunjucks });
  const people = createRegisterService(db, { audit });
  const registerImports = createRegisterImports(db, { queue, audit, log: deps.log });
  return {
    events,
    settings,
    queue,
    transport,
    mail,
    stories,
    comments,
    newsletters,
    audit,
    contributors,
    people,
    organisations,
    registerImports,
  };
}
export type Services = ReturnType<typeof createServices>;
