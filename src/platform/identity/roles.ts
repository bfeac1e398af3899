// Roles an account can hold. Staff roles sign in with a password; contributors by email link.
// 'involvement' is involvement staff: staff who may see and edit the contributor register.
// 'finance' is finance staff: claims, receipts, exports and payments, never the register.
export const staffRoles = ['admin', 'staff', 'involvement', 'finance'] as const;
export type StaffRole = (typeof staffRoles)[number];
export const CONTRIBUTOR_ROLE = 'contributor';
export const roles = [...staffRoles, CONTRIBUTOR_ROLE] as const;
export type Role = (typeof roles)[number];

export type CurrentUser = { id: string; name: string; email: string; role: string; jobTitle: string | null; twoFactorEnabled?: boolean };

export const isStaff = (u: CurrentUser | null | undefined): u is CurrentUser => !!u && (staffRoles as readonly string[]).includes(u.role);
export const isAdmin = (u: CurrentUser | null | undefined): u is CurrentUser => !!u && u.role === 'admin';
export const isContributor = (u: CurrentUser | null | undefined): u is CurrentUser => !!u && u.role === CONTRIBUTOR_ROLE;
// Who may see and edit the register of contributors (special-category data): admins and
// involvement staff, never other staff.
// Who may see claims for fees and expenses, their receipts and bank details, export them to
// finance and mark them paid: admins and finance staff.
export const canSeeFinance = (u: CurrentUser | null | undefined): u is CurrentUser => !!u && (u.role === 'admin' || u.role === 'finance');
export const canSeeRegister = (u: CurrentUser | null | undefined): u is CurrentUser =>
  !!u && (u.role === 'admin' || u.role === 'involvement');
