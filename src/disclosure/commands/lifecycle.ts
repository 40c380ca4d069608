/**
 * Moving a case through its lifecycle. The policy decides who may make the move; the guards here
 * decide whether the case is ready for it (accepting needs an in-scope decision, a duplicate
 * names the case it duplicates).
 */
import { CpansecError } from '../../errors.js';
import type { Actor } from '../actor.js';
import type { Case } from '../case.js';
import { parseCaseReference } from '../ids.js';
import { parseCaseState, type CaseState } from '../lifecycle.js';
import { reasonText } from '../text.js';
import { audit, caseFor, notify, participantAddresses, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export interface TransitionOptions {
  /** for 'duplicate': the reference of the case this one duplicates */
  duplicateOf?: string;
}

/** Why an accepted case must have an in-scope decision: the charter bounds what the team takes on. */
function checkAcceptable(c: Case): void {
  const scope = c.assessment.scope;
  if (!scope) throw new CpansecError('CONFLICT', 'record the scope decision before accepting the case', { file: c.reference });
  const inScope = scope.override?.inScope ?? scope.decision.inScope;
  if (inScope !== true) {
    throw new CpansecError(
      'CONFLICT',
      inScope === false
        ? `out of scope by the rule '${scope.decision.rule}'${scope.decision.handledBy ? ` (handled by ${scope.decision.handledBy})` : ''}: reject it, or record an override with the reason`
        : 'scope undecided: find out whether the distribution is on CPAN, or record an override with the reason',
      { file: c.reference },
    );
  }
}

export async function transitionCase(deps: DisclosureDeps, actor: Actor, caseKey: string, toInput: unknown, reasonInput: unknown, options: TransitionOptions = {}): Promise<Case> {
  const now = deps.clock.now();
  const to: CaseState = parseCaseState(toInput);
  const reason = reasonText(reasonInput);
  const duplicateRef = to === 'duplicate' ? parseCaseReference(options.duplicateOf ?? '') : null;
  return deps.store.transaction(async (tx) => {
    // the move's own action: a read-only token is refused before anything is looked up
    const c = await caseFor(tx, actor, caseKey, `transition:${to}`, now);
    const next: Case = { ...c, state: to };
    if (to === 'accepted') checkAcceptable(c);
    if (duplicateRef) {
      const original = await tx.cases.getByReference(duplicateRef);
      if (!original || original.id === c.id) throw new CpansecError('PARSE_ERROR', `no other case ${duplicateRef}`, { file: 'duplicateOf' });
      next.duplicateOf = duplicateRef;
    }
    if (to === 'triaging' && c.duplicateOf) next.duplicateOf = null;
    const saved = await saveCase(tx, next, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'case.transition', from: c.state, to, reason, data: duplicateRef ? { duplicateOf: duplicateRef } : {} });
    for (const to_ of await participantAddresses(tx, c, actor)) {
      await notify(tx, deps, now, {
        to: to_,
        subject: `[${c.reference}] The case is now ${to}`,
        body: `The case ${c.reference} moved from ${c.state} to ${to}. Details are on the case page:\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
        caseId: c.id,
      });
    }
    return saved;
  });
}
