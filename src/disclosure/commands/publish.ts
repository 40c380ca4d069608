/**
 * Publication: the one way a case becomes public. Refused while the case is under embargo, while
 * the draft has linter errors, while a case with a CVE id has a CVE record that cannot be built or
 * does not validate (the same check as the draft page and GET …/cve-record, injected as
 * `checkCveRecord`), before a fix is released (unless the team decides to publish without one —
 * the answer to an unresponsive author), and to anyone but the team. The result
 * carries what phase 2 hands to the index and the exporters: the advisory, its report file, and
 * the CVE record's inputs.
 */
import type { Advisory } from '../../advisory/index.js';
import { writeReport } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import type { Actor } from '../actor.js';
import type { Case } from '../case.js';
import { cveRecordInput, lintDraft, type CveRecordInput } from '../draft.js';
import { reasonText } from '../text.js';
import { lifecycleTimeline } from '../timeline.js';
import { audit, caseFor, notify, participantAddresses, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export interface PublishOptions {
  /** publish although no fix is released: a team decision, e.g. after the author did not answer */
  withoutFix?: boolean;
}

export interface AdvisoryPublished {
  type: 'advisory.published';
  caseId: string;
  reference: string;
  advisory: Advisory;
  /** the CPANSA report file (YAML) of the advisory alone */
  report: string;
  /** present when the case has a CVE id */
  cve: CveRecordInput | null;
}

export interface PublishResult {
  case: Case;
  events: [AdvisoryPublished];
}

export async function publishCase(deps: DisclosureDeps, actor: Actor, caseKey: string, reasonInput: unknown, options: PublishOptions = {}): Promise<PublishResult> {
  const now = deps.clock.now();
  const reason = reasonText(reasonInput);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.publish', now);
    const refuse = (message: string) => new CpansecError('CONFLICT', message, { file: c.reference });
    if (c.state !== 'fix-released' && !options.withoutFix) {
      throw refuse(`no fix is released (the case is ${c.state}); publishing without a fix is a team decision: say so explicitly`);
    }
    if (!c.draft) throw refuse('the case has no draft advisory');
    const errors = lintDraft(c.draft, { cve: c.cve }).filter((p) => p.level === 'error');
    if (errors.length) throw refuse(`the draft has ${errors.length} error(s): ${errors.slice(0, 3).map((e) => e.message).join('; ')}`);
    if (c.cve) {
      if (!deps.checkCveRecord) throw refuse(`the case has the CVE id ${c.cve}, and no CVE record checker is configured to build and validate its record`);
      const asPublished: Case = { ...c, state: 'published', publishedAt: now.toISOString() };
      const input = cveRecordInput(asPublished, lifecycleTimeline(await tx.audit.list({ caseId: c.id, limit: 10_000 })));
      const problems = deps.checkCveRecord(input).problems.filter((p) => p.level === 'error');
      if (problems.length) {
        throw refuse(`the CVE record of ${c.cve} has ${problems.length} error(s): ${problems.slice(0, 3).map((p) => `${p.where}: ${p.message}`).join('; ')}`);
      }
    }
    const clash = deps.index?.findAdvisories(c.draft.advisory.id).find((a) => a.id === c.draft!.advisory.id);
    if (clash) throw refuse(`advisory id ${c.draft.advisory.id} is taken in the index`);
    if (options.withoutFix && c.draft.advisory.fixedVersions.length) throw refuse('a fix is named in the draft: move the case to fix-released instead');

    // the advisory's `reported` (the OSV record's `published`, the feeds' date) is the day it became
    // public; the day the report reached the team stays in the record as `x-report-received`
    const advisory: Advisory = {
      ...c.draft.advisory,
      reported: now.toISOString().slice(0, 10),
      extra: { ...c.draft.advisory.extra, 'x-report-received': c.createdAt.slice(0, 10) },
    };
    const published: Case = { ...c, state: 'published', publishedAt: now.toISOString(), draft: { ...c.draft, advisory } };
    const saved = await saveCase(tx, published, now);
    await audit(tx, actor, now, {
      caseId: c.id,
      action: 'case.published',
      from: c.state,
      to: 'published',
      reason,
      data: { advisoryId: c.draft.advisory.id, cve: c.cve, withoutFix: options.withoutFix === true },
    });
    for (const to of [...(await participantAddresses(tx, c, actor)), deps.config.teamAddress]) {
      await notify(tx, deps, now, {
        to,
        subject: `[${c.reference}] Advisory ${c.draft.advisory.id} published`,
        body: `The advisory for ${c.reference} is published as ${c.draft.advisory.id}${c.cve ? ` (${c.cve})` : ''}. Thank you.\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
        caseId: c.id,
      });
    }
    const entries = await tx.audit.list({ caseId: c.id, limit: 10_000 });
    const event: AdvisoryPublished = {
      type: 'advisory.published',
      caseId: c.id,
      reference: c.reference,
      advisory,
      report: writeReport(advisory.distribution, [advisory]),
      cve: c.cve ? cveRecordInput(saved, lifecycleTimeline(entries)) : null,
    };
    return { case: saved, events: [event] };
  });
}
