/**
 * Posting to and reading a case's thread. A shared message notifies the other people on the case
 * (the team through its list address); an internal note notifies no one outside the team. Files
 * sent with a message are checked before anything is written and stored in the message's own
 * transaction: the message and its files exist together or not at all.
 */
import { checkAttachments, type AttachmentInput } from '../attachments.js';
import type { Actor } from '../actor.js';
import { caseRole } from '../actor.js';
import { randomId } from '../ids.js';
import { messageBody, parseVisibility, visibleMessages, type Message, type MessageView } from '../messages.js';
import { auditedFiles, storeAttachments } from './attachments.js';
import { audit, caseFor, notify, participantAddresses, SIGNATURE, type DisclosureDeps } from './context.js';

export async function postMessage(deps: DisclosureDeps, actor: Actor, caseKey: string, input: { body: unknown; visibility?: unknown; attachments?: AttachmentInput[] }): Promise<Message> {
  const now = deps.clock.now();
  const body = messageBody(input.body);
  const visibility = parseVisibility(input.visibility);
  const files = await checkAttachments(input.attachments, deps.config.attachments);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, visibility === 'internal' ? 'message.internal' : 'message.shared', now);
    const role = caseRole(actor, c);
    const m: Message = {
      id: randomId(deps.random),
      caseId: c.id,
      at: now.toISOString(),
      accountId: actor.kind === 'account' ? actor.accountId : null,
      authorRole: actor.kind === 'system' ? 'system' : role,
      authorName: actor.kind === 'account' ? actor.name : actor.kind,
      visibility,
      body,
    };
    await tx.messages.insert(m);
    const stored = await storeAttachments(tx, deps, files, { caseId: c.id, messageId: m.id, accountId: m.accountId, at: m.at });
    await audit(tx, actor, now, { caseId: c.id, action: 'message.posted', reason: visibility === 'internal' ? 'internal note' : 'message', data: { messageId: m.id, visibility, ...(stored.length ? { attachments: auditedFiles(stored) } : {}) } });
    if (visibility === 'shared') {
      const recipients = await participantAddresses(tx, c, actor);
      if (role !== 'admin' && role !== 'member') recipients.push(deps.config.teamAddress);
      for (const to of recipients) {
        await notify(tx, deps, now, {
          to,
          subject: `[${c.reference}] New message`,
          body: `There is a new message on the case ${c.reference}. Read it and answer on the case page:\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
          caseId: c.id,
        });
      }
    }
    return m;
  });
}

export async function readThread(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<MessageView[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.view', now);
    return visibleMessages(actor, c, await tx.messages.listByCase(c.id), now, await tx.attachments.listByCase(c.id));
  });
}
