/**
 * The outcome's preparation: draft the advisory from the accepted case, edit it, assign the CVE
 * id, and check the draft with the advisory linter and the CNA's requirements.
 */
import type { LintProblem } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import { actorLabel, type Actor } from '../actor.js';
import type { Case } from '../case.js';
import { advisoryIdFor, applyDraftEdit, cveRecordInput, lintDraft, newDraft, type CveRecordInput } from '../draft.js';
import { combineKnowledge, indexKnowledge } from '../scope.js';
import { lifecycleTimeline } from '../timeline.js';
import { text } from '../text.js';
import type { DisclosureTx } from '../repository.js';
import { audit, caseFor, saveCase, type DisclosureDeps } from './context.js';

/** Advisory ids this distribution already uses: the index's and other cases' drafts. */
async function takenIds(deps: DisclosureDeps, tx: DisclosureTx, c: Case): Promise<Set<string>> {
  const ids = new Set((deps.index?.distribution(c.report.distribution)?.advisories ?? []).map((a) => a.id));
  for (const other of await tx.cases.list({ distribution: c.report.distribution })) {
    if (other.id !== c.id && other.draft) ids.add(other.draft.advisory.id);
  }
  return ids;
}

export async function createDraft(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<Case> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.editDraft', now);
    if (c.draft) throw new CpansecError('CONFLICT', 'the case has a draft already; edit it', { file: c.reference });
    const knowledge = combineKnowledge(deps.index ? indexKnowledge(deps.index) : undefined, deps.cpan);
    const mainModule = knowledge.modulesOf?.(c.report.distribution)?.[0];
    const draft = newDraft(c, { now, by: actorLabel(actor), takenIds: await takenIds(deps, tx, c), ...(mainModule ? { mainModule } : {}) });
    const saved = await saveCase(tx, { ...c, draft }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'draft.created', reason: 'draft advisory created', data: { advisoryId: draft.advisory.id } });
    return saved;
  });
}

export async function editDraft(deps: DisclosureDeps, actor: Actor, caseKey: string, patch: unknown): Promise<Case> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.editDraft', now);
    if (!c.draft) throw new CpansecError('CONFLICT', 'the case has no draft yet', { file: c.reference });
    const draft = applyDraftEdit(c.draft, patch, actorLabel(actor), now);
    const p = patch as { advisory?: object; cna?: object };
    const fields = [...Object.keys(p.advisory ?? {}).map((k) => `advisory.${k}`), ...Object.keys(p.cna ?? {}).map((k) => `cna.${k}`)];
    const saved = await saveCase(tx, { ...c, draft }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'draft.edited', reason: 'draft edited', data: { fields: fields.join(' ') } });
    return saved;
  });
}

/** Record the CVE id the team reserved (as a CNA) for this case; it is added to the draft. */
export async function assignCve(deps: DisclosureDeps, actor: Actor, caseKey: string, cveInput: unknown): Promise<Case> {
  const now = deps.clock.now();
  const cve = text(cveInput, 'cve', { max: 30 }).toUpperCase();
  if (!/^CVE-\d{4}-\d{4,19}$/.test(cve)) throw new CpansecError('PARSE_ERROR', `'${cve}' is not a CVE id`, { file: 'cve' });
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.assignCve', now);
    const holder = await tx.cases.getByCve(cve);
    if (holder && holder.id !== c.id) throw new CpansecError('CONFLICT', `${cve} is assigned to another case`, { file: 'cve' });
    if (deps.index?.findAdvisories(cve).length) throw new CpansecError('CONFLICT', `${cve} is already in a published advisory`, { file: 'cve' });
    // the advisory id follows the CVE id, as in the CPANSA data
    const draft = c.draft
      ? {
          ...c.draft,
          advisory: {
            ...c.draft.advisory,
            id: advisoryIdFor(c.report.distribution, cve, now.getUTCFullYear(), []),
            cves: [...new Set([...c.draft.advisory.cves.filter((x) => x !== c.cve), cve])],
          },
        }
      : null;
    const saved = await saveCase(tx, { ...c, cve, draft }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'cve.assigned', reason: `CVE id ${cve} assigned`, data: { cve, previous: c.cve } });
    return saved;
  });
}

/** The linter's findings on the draft (what publication would refuse). */
export async function checkDraft(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<LintProblem[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewDraft', now);
    if (!c.draft) throw new CpansecError('CONFLICT', 'the case has no draft yet', { file: c.reference });
    return lintDraft(c.draft, { cve: c.cve });
  });
}

/** The inputs of the case's CVE JSON 5 record, for src/publish's builder. Staff only. */
export async function cveInputFor(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<CveRecordInput> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewAudit', now);
    return cveRecordInput(c, lifecycleTimeline(await tx.audit.list({ caseId: c.id, limit: 10_000 })));
  });
}
