import type { Role } from '@engage/contracts';

/** The areas of the app that are limited by role. The server checks again on every request. */
export type Area = 'call-center' | 'manager' | 'admin';

export function canAccess(role: Role, area: Area): boolean {
  switch (area) {
    case 'call-center':
      return true;
    case 'manager':
      return role === 'manager' || role === 'admin';
    case 'admin':
      return role === 'admin';
  }
}

export function roleLabel(role: Role): string {
  switch (role) {
    case 'admin':
      return 'Admin';
    case 'manager':
      return 'Manager';
    case 'agent':
      return 'Agent';
  }
}
