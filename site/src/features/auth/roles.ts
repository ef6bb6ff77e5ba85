export type Role = 'agent' | 'member' | 'admin';

/** GET /api/auth/me */
export interface Me {
  role: Role;
  id: string;
  name: string;
}

export const roles: readonly Role[] = ['agent', 'member', 'admin'];

export function isRole(value: string | null): value is Role {
  return roles.includes(value as Role);
}

/** Where each role lands after signing in (members shop from the home page until the shop exists). */
export function homeFor(role: Role): string {
  return role === 'agent' ? '/console' : role === 'admin' ? '/admin' : '/';
}

export function loginUrl(role: Role, next: string): string {
  return `/login?role=${role}&next=${encodeURIComponent(next)}`;
}
