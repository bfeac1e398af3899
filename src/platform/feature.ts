import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Config } from '#src/config.ts';
import type { Db, DbHandle, Tx } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';
import type { I18n } from '#src/lib/i18n.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Services } from './services.ts';

// A capability declares itself once, in its folder's index.ts, with this manifest. The app loops
// over the platform modules and then the features (src/platform/index.ts, src/features/index.ts):
// it builds their services in that order, registers their routes, starts and stops their jobs,
// runs their retention rules, and offers their personal data, profile steps, staff-home counts
// and commentable pages to the features that ask. Nothing is listed by hand anywhere else.

// adminOnly: shown to admins only. registerOnly: shown to staff who may see the contributor
// register (admins and involvement staff), hidden from other staff. financeOnly: shown to admins
// and finance staff. `order` places an entry among
// every module's (default 50; the day-to-day work first, settings and records last).
export type NavLink = {
  href: string;
  text: string;
  description?: string;
  adminOnly?: boolean;
  registerOnly?: boolean;
  financeOnly?: boolean;
  order?: number;
};

// What every hook is given once the app is built. `services` holds every module's services.
export type FeatureContext = {
  config: Config;
  database: DbHandle;
  db: Db;
  log: Log;
  // The catalogues: `i18n.translator(lang)` for emails and anything else said outside a page.
  i18n: I18n;
  nunjucks: nunjucks.Environment;
  services: Services;
  extensions: Extensions;
};

export type SeedContext = { db: Db | Tx; config: Config; services: Services; log: (msg: string) => void };

// The person whose account is being deleted.
export type DataSubject = { id: string; email: string };

// Personal data a feature holds, for "Download my data" and "Delete my account".
export type PersonalData = {
  // Every table of this feature with a column naming a person (an account id or an email address).
  // A test walks the schema and fails when such a table is in no feature's list.
  tables: PgTable[];
  // This feature's part of the download: top-level keys merged into the JSON file.
  export?: (ctx: FeatureContext, userId: string) => Promise<Record<string, unknown>>;
  // Its sections of the "Your data" page: templates that read `data` (the merged download),
  // placed by `order` among every feature's sections.
  sections?: { template: string; order: number }[];
  // Erases or anonymises the person's rows, inside the deletion's transaction. Features run in
  // reverse order of the list (so the account itself, in the platform, goes last). A function it
  // returns runs once the deletion has committed (to refresh a cache, say).
  erase?: (ctx: FeatureContext, subject: DataSubject, tx: Tx) => Promise<void | (() => void)>;
};

// Something kept only for a while: run at start and then every hour. Returns how many rows it
// erased or changed. `kind` groups rules under one policy (all 'internet-addresses' rules share
// the 30-day limit), so a policy can be run and tested as a whole.
export type RetentionRule = { kind: string; name: string; run: (ctx: FeatureContext, now: Date) => Promise<number> };

// Background work: queue workers and timers. Started in list order once the app is ready (unless
// the app is built for a tool that only needs its routes), stopped in reverse order on close.
export type Jobs = { start: (ctx: FeatureContext) => Promise<void>; stop?: (ctx: FeatureContext) => Promise<void> };

// Steps a feature adds to the contributor's profile task list, shown in `order` among all steps.
// A `private` step is never shown to staff, not even whether it was answered (equality monitoring).
export type ProfileStep = { key: string; title: string; href: string; hint: string; order: number; private?: boolean };
export type ProfileSteps = {
  steps: ProfileStep[];
  // This feature's steps the person has completed: key → when last saved.
  completed: (ctx: FeatureContext, userId: string) => Promise<Record<string, Date>>;
};

// Counts on the staff home ("3 comments waiting"): only what this member of staff may act on.
export type AdminCount = { text: string; href: string; count: number };
export type AdminSummary = (ctx: FeatureContext, user: CurrentUser) => Promise<AdminCount[]>;

// A page people can comment on. Comments store `type` and the page's id; the comments feature
// mounts its routes under `path` (so a story's are at /stories/:slug/comments) and asks the
// owning feature for the page whenever it needs its title, address or whether comments are open.
// `key` is the value of the path's one parameter (a story's slug); `noun` names the kind of page
// in sentences ("Comments are closed for this story").
export type CommentTarget = { type: string; id: number; key: string; title: string; path: string; commentsOpen: boolean; noun: string };
export type Commentable = {
  type: string;
  noun: string;
  // The route pattern of the page itself, with one parameter: '/stories/:slug'.
  path: string;
  // The page as readers may see it (published, not a draft), by the route's parameters or by id.
  findByParams: (ctx: FeatureContext, params: Record<string, string>) => Promise<CommentTarget | null>;
  findById: (ctx: FeatureContext, id: number) => Promise<CommentTarget | null>;
};

// A page people can follow by email (a commitment): the newsletters feature mounts the follow
// routes under `path` (POST /commitments/:slug/follow), keeps the followers with double opt-in and
// one-click unsubscribe, and sends an update to them when the owning feature calls
// `services.newsletters.follows.notify`. Same shape as a commentable page.
export type Followable = Commentable;

export type Feature = {
  name: string;
  // Built once at boot, in list order, so a feature can use the services of those before it.
  services?: (ctx: FeatureContext) => Partial<Services>;
  routes?: (app: FastifyInstance) => Promise<void>;
  adminLinks?: NavLink[];
  mainNav?: NavLink[];
  footerNav?: NavLink[];
  // Demo content for an empty database, run in list order inside one transaction.
  seed?: (ctx: SeedContext) => Promise<void>;
  // Runs once the app is ready, before the first request (also in tools that start no jobs).
  ready?: (ctx: FeatureContext) => Promise<void>;
  jobs?: Jobs;
  // The actions this feature writes to the audit trail, with their words for the audit log page.
  auditActions?: Record<string, string>;
  retention?: RetentionRule[];
  personalData?: PersonalData;
  profileSteps?: ProfileSteps;
  adminSummary?: AdminSummary;
  commentable?: Commentable[];
  followable?: Followable[];
  // Events that only say "what you cached of this is stale": with REDIS_URL set, every instance
  // hears them (src/platform/events-bridge.ts). Never list an event whose listeners write data.
  sharedEvents?: string[];
};

// Every registration, gathered once from the list.
export type Extensions = {
  features: readonly Feature[];
  personalData: (PersonalData & { feature: string })[];
  retention: RetentionRule[];
  profileSteps: ProfileSteps[];
  adminSummaries: AdminSummary[];
  auditActions: Record<string, string>;
  commentables: Map<string, Commentable>;
  followables: Map<string, Followable>;
  sharedEvents: string[];
  nav: { admin: NavLink[]; main: NavLink[]; footer: NavLink[] };
};

const byOrder = (links: NavLink[]) =>
  links
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l.order ?? 50) - (b.l.order ?? 50) || a.i - b.i)
    .map((x) => x.l);

export function collectExtensions(features: readonly Feature[]): Extensions {
  const names = new Set<string>();
  const commentables = new Map<string, Commentable>();
  const followables = new Map<string, Followable>();
  for (const f of features) {
    if (names.has(f.name)) throw new Error(`Two features are called ${f.name}`);
    names.add(f.name);
    for (const c of f.commentable ?? []) {
      if (commentables.has(c.type)) throw new Error(`Two features register comments on ${c.type}`);
      commentables.set(c.type, c);
    }
    for (const c of f.followable ?? []) {
      if (followables.has(c.type)) throw new Error(`Two features register following ${c.type}`);
      followables.set(c.type, c);
    }
  }
  return {
    features,
    personalData: features.flatMap((f) => (f.personalData ? [{ ...f.personalData, feature: f.name }] : [])),
    retention: features.flatMap((f) => f.retention ?? []),
    profileSteps: features.flatMap((f) => (f.profileSteps ? [f.profileSteps] : [])),
    adminSummaries: features.flatMap((f) => (f.adminSummary ? [f.adminSummary] : [])),
    auditActions: Object.assign({}, ...features.map((f) => f.auditActions ?? {})) as Record<string, string>,
    commentables,
    followables,
    sharedEvents: features.flatMap((f) => f.sharedEvents ?? []),
    nav: {
      admin: byOrder(features.flatMap((f) => f.adminLinks ?? [])),
      main: features.flatMap((f) => f.mainNav ?? []),
      footer: features.flatMap((f) => f.footerNav ?? []),
    },
  };
}

// Identity for a manifest, so a feature's index.ts reads as a declaration and gets type checks.
export const defineFeature = (feature: Feature): Feature => feature;

// A part of a big feature (groups has groups, meetings and calendars), declared in its own file
// with the manifest's fields, so areas built side by side never edit one object. `combineAreas`
// makes the feature: services merged, routes registered in turn, lists joined, jobs started in
// order and stopped in reverse, personal data exported, shown and erased area by area.
export type FeatureArea = Omit<Feature, 'name' | 'personalData' | 'commentable' | 'followable' | 'profileSteps'> & {
  personalData?: Omit<PersonalData, 'tables'>;
};

export function combineAreas(name: string, tables: PgTable[], areas: FeatureArea[]): Feature {
  const each = <K extends keyof FeatureArea>(key: K) =>
    areas.flatMap((a) => (a[key] === undefined ? [] : [a[key] as NonNullable<FeatureArea[K]>]));
  const data = each('personalData');
  const seeds = each('seed');
  const readies = each('ready');
  const jobs = each('jobs');
  const summaries = each('adminSummary');
  return {
    name,
    services: (ctx) => Object.assign({}, ...each('services').map((s) => s(ctx))) as ReturnType<NonNullable<Feature['services']>>,
    async routes(app) {
      for (const r of each('routes')) await app.register(r);
    },
    adminLinks: each('adminLinks').flat(),
    mainNav: each('mainNav').flat(),
    footerNav: each('footerNav').flat(),
    seed: seeds.length
      ? async (ctx) => {
          for (const s of seeds) await s(ctx);
        }
      : undefined,
    ready: readies.length
      ? async (ctx) => {
          for (const r of readies) await r(ctx);
        }
      : undefined,
    jobs: jobs.length
      ? {
          start: async (ctx) => {
            for (const j of jobs) await j.start(ctx);
          },
          stop: async (ctx) => {
            for (const j of [...jobs].reverse()) await j.stop?.(ctx);
          },
        }
      : undefined,
    auditActions: Object.assign({}, ...each('auditActions')) as Record<string, string>,
    retention: each('retention').flat(),
    sharedEvents: each('sharedEvents').flat(),
    adminSummary: summaries.length ? async (ctx, user) => (await Promise.all(summaries.map((s) => s(ctx, user)))).flat() : undefined,
    personalData: {
      tables,
      export: async (ctx, userId) =>
        Object.assign({}, ...(await Promise.all(data.map((d) => (d.export ? d.export(ctx, userId) : Promise.resolve({})))))) as Record<
          string,
          unknown
        >,
      sections: data.flatMap((d) => d.sections ?? []),
      erase: async (ctx, subject, tx) => {
        const after: (() => void)[] = [];
        for (const d of [...data].reverse()) {
          const done = await d.erase?.(ctx, subject, tx);
          if (done) after.push(done);
        }
        return after.length ? () => after.forEach((f) => f()) : undefined;
      },
    },
  };
}
