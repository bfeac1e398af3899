// Where the end-to-end server listens and the accounts global-setup creates before it starts.
export const e2ePort = Number(process.env.E2E_PORT ?? 3170);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;

export const accounts = {
  admin: { email: 'admin@example.org', name: 'Ada Admin', role: 'admin', password: 'e2e-admin-password-123' },
  staff: { email: 'staff@example.org', name: 'Sam Staff', role: 'staff', password: 'e2e-staff-password-123' },
  involvement: {
    email: 'involvement@example.org',
    name: 'Indira Involvement',
    role: 'involvement',
    password: 'e2e-involvement-password-123',
  },
} as const;

// The story the demo seed publishes, and its organisation.
export const demo = {
  orgName: 'Riverside Health Insight',
  storySlug: 'working-with-people-not-for-them',
} as const;
