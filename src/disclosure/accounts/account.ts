/**
 * Accounts. The role is global: administrators and team members (staff) see every case;
 * `downstream` accounts are packagers (distributions, package managers) the team pre-notifies:
 * they see, of the cases shared with them, the team's summary and the fix, nothing else;
 * everyone else is `external`, and is a reporter or an author only in relation to a case (the
 * case records who filed it and whom the team invited). There is no default account and no
 * default password: the first administrator is made by a command on the server's machine.
 */
import { CpansecError } from '../../errors.js';
import type { TotpState } from './totp.js';

export const ACCOUNT_ROLES = ['admin', 'member', 'external', 'downstream'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface Account {
  id: string;
  email: string;
  /** lower-cased e-mail, unique: accounts are found by it */
  emailKey: string;
  name: string;
  role: AccountRole;
  /** PHC-format scrypt hash; null until the owner sets a password (an invited account) */
  passwordHash: string | null;
  disabled: boolean;
  totp: TotpState | null;
  createdAt: string;
  updatedAt: string;
}

export function parseAccountRole(value: unknown): AccountRole {
  if (typeof value === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(value)) return value as AccountRole;
  throw new CpansecError('PARSE_ERROR', `unknown role '${String(value).slice(0, 30)}' (one of: ${ACCOUNT_ROLES.join(', ')})`, { file: 'role' });
}

export function isStaffRole(role: AccountRole): boolean {
  return role === 'admin' || role === 'member';
}
