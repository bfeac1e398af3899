// Helpers for the follow tests: the real app with one extra feature whose pages can be followed
// (commitments register theirs on their own), and the links in the emails it sends.
import { afterAll } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildApp } from '#src/app.ts';
import { loadConfig } from '#src/config.ts';
import { features } from '#src/features/index.ts';
import type { CommentTarget, Feature } from '#src/platform/feature.ts';
import { platformModules } from '#src/platform/index.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { openTestDatabase } from '#tests/helpers/database.ts';
import { newsletterFollows } from './tables.ts';
import { linkInLatestEmail } from './test-support.ts';

type Page = CommentTarget & { translations?: { cy?: { title?: string } } };

export const testPages: Page[] = [
  {
    type: 'test-page',
    id: 7,
    key: 'waiting-times',
    title: 'Publish clinic waiting times',
    path: '/test-pages/waiting-times',
    commentsOpen: true,
    noun: 'page',
    translations: { cy: { title: 'Cyhoeddi amseroedd aros clinigau' } },
  },
  {
    type: 'test-page',
    id: 8,
    key: 'parking',
    title: 'Free parking for carers',
    path: '/test-pages/parking',
    commentsOpen: true,
    noun: 'page',
  },
];

const followTestFeature: Feature = {
  name: 'follow-test',
  followable: [
    {
      type: 'test-page',
      noun: 'page',
      path: '/test-pages/:slug',
      findByParams: async (_ctx, params) => testPages.find((p) => p.key === params.slug) ?? null,
      findById: async (_ctx, id) => testPages.find((p) => p.id === id) ?? null,
    },
  ],
};

export async function buildFollowTestApp() {
  const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' });
  const database = await openTestDatabase();
  const app = await buildApp({ config, database, modules: [...platformModules, ...features, followTestFeature] });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await database.close();
  });
  return { app, db: database.db, services: app.services };
}
type FollowTestApp = Awaited<ReturnType<typeof buildFollowTestApp>>;

export const mailsTo = async ({ db }: FollowTestApp, to: string) =>
  (await db.select().from(mailMessages).where(eq(mailMessages.toAddress, to))).sort((a, b) => a.id - b.id);

export async function followOf({ db }: FollowTestApp, email: string, page: Page = testPages[0]!) {
  const [row] = await db
    .select()
    .from(newsletterFollows)
    .where(and(eq(newsletterFollows.email, email), eq(newsletterFollows.targetType, page.type), eq(newsletterFollows.targetId, page.id)));
  return row;
}

// The path of the link in the newest email to the address.
export const linkIn = async ({ app }: FollowTestApp, to: string, pattern: RegExp) =>
  new URL(await linkInLatestEmail(app, to, pattern)).pathname;

export const confirmLink = /http:\/\/localhost:3000\/follow\/confirm\/[A-Za-z0-9_-]+/;
export const unsubscribeLink = /http:\/\/localhost:3000\/follow\/unsubscribe\/[0-9]+\.[A-Za-z0-9_-]+/;
