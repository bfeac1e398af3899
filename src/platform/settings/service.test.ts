import { afterEach, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { settings as settingsTable } from './tables.ts';

const { db, services } = await buildTestApp();

afterEach(() => vi.useRealTimers());

it('answers from memory once loaded, refreshing a stale value in the background', async () => {
  await services.settings.update({ name: 'First name', welcome: '', moderation: 'all', moderationEmail: '' });
  // Changed behind the service's back, as another instance would.
  await db
    .update(settingsTable)
    .set({ value: { name: 'Second name', welcome: '', moderation: 'all', moderationEmail: '' } })
    .where(eq(settingsTable.key, 'site'));
  expect((await services.settings.get()).name).toBe('First name');

  vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ['Date'] });
  // Stale: the old value comes back at once (no wait for a database connection)…
  expect((await services.settings.get()).name).toBe('First name');
  // …and the fresh one shortly after.
  await vi.waitFor(async () => expect((await services.settings.get()).name).toBe('Second name'));
});
