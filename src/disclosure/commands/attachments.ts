/**
 * Storing the files of a report or message (in the transaction that writes the report or
 * message), and reading one back for someone allowed to. Who may read a file: whoever may read
 * what it came with — the report's files everyone on the case, a shared message's files everyone
 * on the case, an internal note's files the team — and a downstream packager only the patch the
 * team shared with them as the fix. Any other file, of this case or another, is NOT_FOUND: the
 * answer for an id never issued.
 */
import { CpansecError } from '../../errors.js';
import type { Actor } from '../actor.js';
import { newAttachment, type Attachment, type CheckedAttachment } from '../attachments.js';
import type { Case } from '../case.js';
import { randomId } from '../ids.js';
import { can } from '../policy.js';
import type { DisclosureTx } from '../repository.js';
import { caseFor, type DisclosureDeps } from './context.js';

export async function storeAttachments(tx: DisclosureTx, deps: DisclosureDeps, files: readonly CheckedAttachment[], where: { caseId: string; messageId: string | null; accountId: string | null; at: string }): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const f of files) {
    const a = newAttachment(randomId(deps.random), f, where);
    await tx.attachments.insert(a, f.content);
    out.push(a);
  }
  return out;
}

/** What the audit log keeps of files: ids, kinds, sizes and hashes (never the names, which may say too much). */
export const auditedFiles = (list: readonly Attachment[]) => list.map((a) => `${a.id} ${a.kind} ${a.size} sha256:${a.sha256}`).join('; ');

const noSuchFile = () => new CpansecError('NOT_FOUND', 'no such attachment', { file: 'attachment' });

/** Whether this actor may read this file of this case (the case visible to them already). */
async function mayRead(tx: DisclosureTx, actor: Actor, c: Case, a: Attachment, now: Date): Promise<boolean> {
  if (can(actor, 'case.view', c, now)) {
    if (a.messageId === null) return true;
    const m = (await tx.messages.listByCase(c.id)).find((x) => x.id === a.messageId);
    return !!m && (m.visibility === 'shared' || can(actor, 'message.viewInternal', c, now));
  }
  return can(actor, 'case.viewDownstream', c, now) && c.downstream?.fixAttachmentId === a.id;
}

export async function readAttachment(deps: DisclosureDeps, actor: Actor, caseKey: string, attachmentId: string): Promise<{ attachment: Attachment; content: Uint8Array; case: Case }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    // the case must be one the actor sees at all (NOT_FOUND otherwise); whether the file is theirs to read, below
    const c = await caseFor(tx, actor, caseKey, 'case.viewPublic', now);
    const id = String(attachmentId ?? '');
    const a = /^[0-9a-z]{26}$/.test(id) ? await tx.attachments.get(id) : undefined;
    if (!a || a.caseId !== c.id || !(await mayRead(tx, actor, c, a, now))) throw noSuchFile();
    const content = await tx.attachments.content(a.id);
    if (!content) throw noSuchFile();
    return { attachment: a, content, case: c };
  });
}
