import { describe, expect, it } from 'vitest';
import { canSeeRegister, isContributor, isStaff, type CurrentUser } from './roles.ts';
import { CreateUserSchema } from './service.ts';

const as = (role: string): CurrentUser => ({ id: 'x', name: 'X', email: 'x@example.org', role, jobTitle: null });

describe('roles', () => {
  it('counts admins, staff and involvement staff as staff, never contributors or unknown roles', () => {
    expect(['admin', 'staff', 'involvement'].map((r) => isStaff(as(r)))).toEqual([true, true, true]);
    expect(isStaff(as('contributor'))).toBe(false);
    expect(isStaff(as('owner'))).toBe(false);
    expect(isStaff(null)).toBe(false);
    expect(isContributor(as('contributor'))).toBe(true);
    expect(isContributor(as('staff'))).toBe(false);
  });

  it('lets only admins and involvement staff see the contributor register', () => {
    expect(['admin', 'involvement', 'staff', 'contributor'].map((r) => canSeeRegister(as(r)))).toEqual([true, true, false, false]);
    expect(canSeeRegister(undefined)).toBe(false);
  });

  it('creates involvement staff from the command line, but never a contributor', () => {
    expect(CreateUserSchema.safeParse({ email: 'i@example.org', name: 'I', role: 'involvement' }).success).toBe(true);
    expect(CreateUserSchema.safeParse({ email: 'c@example.org', name: 'C', role: 'contributor' }).success).toBe(false);
  });
});
