/**
 * The team shares a case with downstream packagers, writes what they read, and ends a share; a
 * packager reads the downstream view. Each share and revocation is one transaction with its audit
 * entry; a share mails the packager the reference and a link, never the details.
 */
import { CpansecError } from '../../errors.js';
import { actorLabel, type Actor } from '../actor.js';
import { attachmentView } from '../attachments.js';
import type { Case } from '../case.js';
import { activeShare, downstreamView, DOWNSTREAM_SUMMARY_MAX, type DownstreamNotice, type DownstreamView } from '../downstream.js';
import { invalid, reasonText, text } from '../text.js';
import { audit, caseFor, notify, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export interface ShareInput {
  /** the downstream account to share with; absent: only the summary or the fix change */
  accountId?: unknown;
  /** what packagers read (required the first time) */
  summary?: unknown;
  /** a patch attachment of the case, the fix packagers may download; null or '' : none */
  fixAttachmentId?: unknown;
}

export async function shareWithDownstream(deps: DisclosureDeps, actor: Actor, caseKey: string, input: ShareInput): Promise<Case> {
  const now = deps.clock.now();
  const accountId = input.accountId === undefined || input.accountId === null || input.accountId === '' ? undefined : String(input.accountId);
  const summary = input.summary === undefined ? undefined : text(input.summary, 'summary', { min: 20, max: DOWNSTREAM_SUMMARY_MAX, multiline: true });
  const fixGiven = input.fixAttachmentId !== undefined;
  const fixId = input.fixAttachmentId === null || input.fixAttachmentId === '' ? null : fixGiven ? String(input.fixAttachmentId) : undefined;
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.shareDownstream', now);
    const before = c.downstream ?? null;
    const nextSummary = summary ?? before?.summary;
    if (!nextSummary) throw invalid('summary', 'is required: write what the packagers read (what is affected, how to fix it), not the report itself');
    if (fixId) {
      const a = await tx.attachments.get(fixId);
      if (!a || a.caseId !== c.id) throw invalid('fixAttachmentId', 'is not an attachment of this case');
      if (a.kind !== 'patch') throw invalid('fixAttachmentId', `'${a.fileName}' is not a patch (a unified or git diff)`);
    }
    let shares = before?.shares ?? [];
    let account: { id: string; email: string; name: string } | undefined;
    if (accountId) {
      const a = await tx.accounts.get(accountId);
      if (!a || a.role !== 'downstream' || a.disabled) throw invalid('accountId', 'is not an enabled downstream account (an administrator makes them)');
      if (!activeShare(c, a.id)) {
        account = a;
        shares = [...shares, { accountId: a.id, sharedAt: now.toISOString(), sharedBy: actorLabel(actor), revokedAt: null, revokedBy: null }];
      }
    } else if (!before) {
      throw invalid('accountId', 'choose the downstream account to share the case with');
    }
    const notice: DownstreamNotice = { summary: nextSummary, fixAttachmentId: fixId !== undefined ? fixId : before?.fixAttachmentId ?? null, shares };
    const saved = await saveCase(tx, { ...c, downstream: notice }, now);
    await audit(tx, actor, now, {
      caseId: c.id,
      action: 'downstream.shared',
      reason: account ? `shared with a downstream packager` : 'downstream notice changed',
      data: {
        ...(account ? { accountId: account.id } : {}),
        fixAttachmentId: notice.fixAttachmentId,
        'fixAttachmentId.before': before?.fixAttachmentId ?? null,
        summaryChanged: before?.summary !== notice.summary,
      },
    });
    if (account) {
      await notify(tx, deps, now, {
        to: account.email,
        subject: `[${c.reference}] Pre-notification under embargo`,
        body: `Hello ${account.name},\n\nthe CPAN Security Group shares a vulnerability with you ahead of its publication, under embargo: keep it private until it is published. Read it here:\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
        caseId: c.id,
      });
    }
    return saved;
  });
}

/** End a packager's access: from now on the case does not exist for them. */
export async function revokeDownstream(deps: DisclosureDeps, actor: Actor, caseKey: string, accountId: string, reasonInput: unknown): Promise<Case> {
  const now = deps.clock.now();
  const reason = reasonText(reasonInput);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.revokeDownstream', now);
    const share = activeShare(c, String(accountId));
    if (!share || !c.downstream) throw new CpansecError('NOT_FOUND', 'the case is not shared with this account', { file: 'accountId' });
    const shares = c.downstream.shares.map((s) => (s === share ? { ...s, revokedAt: now.toISOString(), revokedBy: actorLabel(actor) } : s));
    const saved = await saveCase(tx, { ...c, downstream: { ...c.downstream, shares } }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'downstream.revoked', reason, data: { accountId: share.accountId, sharedAt: share.sharedAt } });
    return saved;
  });
}

/** What a packager reads (the team may look at it too). */
export async function readDownstream(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<DownstreamView> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewDownstream', now);
    const fixId = c.downstream?.fixAttachmentId;
    const fix = fixId ? await tx.attachments.get(fixId) : undefined;
    return downstreamView(c, fix ? attachmentView(fix) : null);
  });
}
