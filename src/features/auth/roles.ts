// Roles a staff account can hold. Later issues add involvement staff and contributors.
export const staffRoles = ['admin', 'staff'] as const;
export type StaffRole = (typeof staffRoles)[number];

export type CurrentUser = { id: string; name: string; email: string; role: string; jobTitle: string | null };

export const isStaff = (u: CurrentUser | null | undefined): u is CurrentUser =>
  !!u && (staffRoles as readonly string[]).includes(u.role);
export const isAdmin = (u: CurrentUser | null | undefined): u is CurrentUser => !!u && u.role === 'admin';
