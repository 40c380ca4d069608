/**
 * Setting, moving and lifting a case's embargo. Lifting an embargo publishes nothing: publication
 * is its own command.
 */
import type { Actor } from '../actor.js';
import { actorLabel } from '../actor.js';
import type { Case, Embargo } from '../case.js';
import { checkEmbargoEnd } from '../embargo.js';
import { reasonText } from '../text.js';
import { audit, caseFor, notify, participantAddresses, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export async function setEmbargo(deps: DisclosureDeps, actor: Actor, caseKey: string, endsAtInput: unknown, reasonInput: unknown): Promise<Case> {
  const now = deps.clock.now();
  const endsAt = checkEmbargoEnd(endsAtInput, now, deps.config.embargo);
  const reason = reasonText(reasonInput);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.setEmbargo', now);
    const left = endsAt.getTime() - now.getTime();
    const embargo: Embargo = {
      endsAt: endsAt.toISOString(),
      setAt: now.toISOString(),
      setBy: actorLabel(actor),
      // reminders whose lead time has already passed would only be noise
      remindersSent: deps.config.embargo.reminderLeadDays.filter((d) => left <= d * 86_400_000),
      expiryFlaggedAt: null,
    };
    const saved = await saveCase(tx, { ...c, embargo }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'embargo.set', reason, data: { endsAt: embargo.endsAt, previous: c.embargo?.endsAt ?? null } });
    for (const to of await participantAddresses(tx, c, actor)) {
      await notify(tx, deps, now, {
        to,
        subject: `[${c.reference}] Embargo until ${embargo.endsAt.slice(0, 10)}`,
        body: `The case ${c.reference} is under embargo until ${embargo.endsAt} (UTC). Please keep its details private until then.\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
        caseId: c.id,
      });
    }
    return saved;
  });
}

export async function liftEmbargo(deps: DisclosureDeps, actor: Actor, caseKey: string, reasonInput: unknown): Promise<Case> {
  const now = deps.clock.now();
  const reason = reasonText(reasonInput);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.setEmbargo', now);
    if (!c.embargo) return c;
    const saved = await saveCase(tx, { ...c, embargo: null }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'embargo.lifted', reason, data: { endsAt: c.embargo.endsAt } });
    return saved;
  });
}
