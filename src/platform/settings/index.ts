import type { Feature } from '#src/platform/feature.ts';
import { createSettingsService, type SettingsService } from './service.ts';
import { createSecuritySettings, type SecuritySettingsService } from './security.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    settings: SettingsService;
    securitySettings: SecuritySettingsService;
  }
}

// The organisation's settings (name, welcome text, moderation), read on every page.
export const settingsModule: Feature = {
  name: 'settings',
  services: ({ db }) => ({ settings: createSettingsService(db), securitySettings: createSecuritySettings(db) }),
  // Read on every request and inside transactions: loaded before the first one.
  async ready({ services }) {
    await Promise.all([services.settings.get(), services.securitySettings.get()]);
  },
};
