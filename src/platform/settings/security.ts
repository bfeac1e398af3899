import type { Db } from '#src/db/client.ts';
import { settingsDocument } from './document.ts';

// How staff must sign in, kept apart from the site's settings (its own row in the key-value table)
// so the site settings form cannot lose it. Read by the staff guards on every staff request.
export type SecuritySettings = { requireTwoFactor: boolean };
export const defaultSecurity: SecuritySettings = { requireTwoFactor: false };

export function createSecuritySettings(db: Db) {
  const { get, update } = settingsDocument<SecuritySettings>(db, 'security', (saved) => ({
    ...defaultSecurity,
    ...((saved as Partial<SecuritySettings> | null) ?? {}),
  }));
  return { get, update };
}
export type SecuritySettingsService = ReturnType<typeof createSecuritySettings>;
