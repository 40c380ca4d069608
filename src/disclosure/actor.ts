/**
 * Who is acting. Phase 2 makes an actor from a session cookie or an API token; the scheduled jobs
 * (reminders, the outbox) act as `system`, and so does the operator's `cpansec admin create`.
 */
import type { Account, AccountRole } from './accounts/account.js';
import type { Case } from './case.js';
import { activeShare } from './downstream.js';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string }
  | {
      kind: 'account';
      accountId: string;
      role: AccountRole;
      name: string;
      via: 'session' | 'token';
      /** a read-only API token */
      readOnly: boolean;
      /** must enrol a second factor before anything else (policy `requireTotpForStaff`) */
      restricted: boolean;
    };

export type AccountActor = Extract<Actor, { kind: 'account' }>;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function systemActor(name: string): Actor {
  return { kind: 'system', name };
}

export function accountActor(
  account: Pick<Account, 'id' | 'role' | 'name'>,
  via: 'session' | 'token' = 'session',
  options: { readOnly?: boolean; restricted?: boolean } = {},
): AccountActor {
  return { kind: 'account', accountId: account.id, role: account.role, name: account.name, via, readOnly: options.readOnly ?? false, restricted: options.restricted ?? false };
}

/** How the audit log names an actor. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'anonymous') return 'anonymous';
  if (actor.kind === 'system') return `system:${actor.name}`;
  return `account:${actor.accountId}`;
}

/** The roles of the permission table: an actor's role as seen from one case. */
export type CaseRole = 'admin' | 'member' | 'reporter' | 'author' | 'downstream' | 'public';

export function caseRole(actor: Actor, c: Pick<Case, 'reporterAccountId' | 'authorAccountIds' | 'downstream'>): CaseRole {
  if (actor.kind !== 'account') return 'public';
  if (actor.role === 'admin' || actor.role === 'member') return actor.role;
  if (c.reporterAccountId === actor.accountId) return 'reporter';
  if (c.authorAccountIds.includes(actor.accountId)) return 'author';
  // a packager, while the team shares the case with them (a revoked share is no share)
  if (actor.role === 'downstream' && activeShare(c, actor.accountId)) return 'downstream';
  return 'public';
}

export function isStaff(actor: Actor): boolean {
  return actor.kind === 'account' && (actor.role === 'admin' || actor.role === 'member');
}
