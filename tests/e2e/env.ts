// Where the end-to-end server listens and the accounts global-setup creates before it starts.
export const e2ePort = Number(process.env.E2E_PORT ?? 3170);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;
// The server's minimum fill time for public forms (FORM_MIN_FILL_SECONDS): the journeys still meet
// the real check, with a shorter wait than the default 3 s, which the Vitest tests keep.
export const e2eMinFillSeconds = 1;

export const accounts = {
  admin: { email: 'admin@example.org', name: 'Ada Admin', role: 'admin', password: 'e2e-admin-password-123' },
  staff: { email: 'staff@example.org', name: 'Sam Staff', role: 'staff', password: 'e2e-staff-password-123' },
  involvement: {
    email: 'involvement@example.org',
    name: 'Indira Involvement',
    role: 'involvement',
    password: 'e2e-involvement-password-123',
  },
  finance: { email: 'finance@example.org', name: 'Fen Finance', role: 'finance', password: 'e2e-finance-password-123' },
} as const;

// The global setup signs each of the accounts above in once and leaves their cookies in the folder
// this environment variable names (see useStaffSession in pages.ts).
export const sessionsDirVariable = 'COPRODUCE_E2E_SESSIONS_DIR';

// Staff accounts that journeys change (two-factor sign-in, a forgotten password), one per project
// so that the runs with and without JavaScript never share one, nor touch the accounts above.
const changing = (kind: string, project: string) => ({
  email: `${kind}-${project}@example.org`,
  name: `Kit ${kind === 'two-factor' ? 'Twofactor' : 'Reset'}`,
  role: 'staff',
  password: `e2e-${kind}-${project}-password-123`,
});
export const changingAccounts = {
  'two-factor-js': changing('two-factor', 'js'),
  'two-factor-no-js': changing('two-factor', 'no-js'),
  'reset-js': changing('reset', 'js'),
  'reset-no-js': changing('reset', 'no-js'),
} as const;
export const changingAccount = (kind: 'two-factor' | 'reset', project: string) =>
  changingAccounts[`${kind}-${project}` as keyof typeof changingAccounts];

// The story the demo seed publishes, and its organisation.
export const demo = {
  orgName: 'Riverside Health Insight',
  storySlug: 'working-with-people-not-for-them',
} as const;
