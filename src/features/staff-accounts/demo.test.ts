import { describe, expect, it } from 'vitest';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { seedDemoStaffAccounts } from './demo.ts';

describe('demo staff accounts', async () => {
  const { app, db, services } = await buildTestApp();

  it('shows a newcomer an invited colleague and a deactivated one, neither able to sign in', async () => {
    const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
    await seedDemoStaffAccounts(ctx);
    await seedDemoStaffAccounts(ctx);
    const { browser } = await signedInBrowser(app, 'admin');
    const list = await browser.get('/admin/users');
    for (const shown of ['Tomasz Nowak', 'Grace Adeyemi', 'Invited', 'Deactivated', '3 staff accounts']) expect(list.body).toContain(shown);
    const authCtx = await app.auth.$context;
    for (const email of ['tomasz.nowak@example.org', 'grace.adeyemi@example.org']) {
      const account = await services.identity.findAccountByEmail(email);
      await expect(authCtx.internalAdapter.createSession(account!.id)).rejects.toThrow(/cannot sign in/);
    }
  });
});
