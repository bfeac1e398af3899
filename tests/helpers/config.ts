import { loadConfig } from '#src/config.ts';

// The configuration every test app runs with (tests/helpers/app.ts), and the template database is
// prepared with (tests/helpers/database-template.ts).
export const testConfig = () =>
  loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' });
