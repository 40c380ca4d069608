/**
 * Who leads a case: one team member (or nobody), set by the team, audited with before and after.
 * It takes the triage permission (`case.assess`: staff, case open): assigning is part of triage.
 */
import { CpansecError } from '../../errors.js';
import { isStaffRole } from '../accounts/account.js';
import type { Actor } from '../actor.js';
import type { Case } from '../case.js';
import { audit, caseFor, saveCase, type DisclosureDeps } from './context.js';

export async function assignCase(deps: DisclosureDeps, actor: Actor, caseKey: string, assignee: unknown): Promise<Case> {
  const now = deps.clock.now();
  const wanted = assignee === null || assignee === undefined || assignee === '' ? null : String(assignee).slice(0, 200);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.assess', now);
    let id: string | null = null;
    let name = 'nobody';
    if (wanted !== null) {
      const a = (await tx.accounts.get(wanted)) ?? (await tx.accounts.list()).find((x) => x.email.toLowerCase() === wanted.toLowerCase());
      if (!a || a.disabled || !isStaffRole(a.role)) throw new CpansecError('PARSE_ERROR', 'must be an active team member', { file: 'assignee' });
      id = a.id;
      name = a.name;
    }
    const before = c.assigneeAccountId ?? null;
    if (before === id) return c;
    const saved = await saveCase(tx, { ...c, assigneeAccountId: id }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'case.assigned', reason: `assigned to ${name}`, data: { assignee: id, 'assignee.before': before } });
    return saved;
  });
}
