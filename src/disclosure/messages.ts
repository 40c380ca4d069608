/**
 * The per-case discussion: team, reporter and author. A message is either `shared` (everyone on
 * the case reads it) or `internal` (a team note). Who wrote it is shown according to who reads:
 * the team sees names; the author never learns the reporter's identity from the thread (the
 * reporter chooses their credit), the reporter sees the team and the author by name. A message's
 * files are read by whoever reads the message.
 */
import { attachmentView, type Attachment, type AttachmentView } from './attachments.js';
import type { Actor, CaseRole } from './actor.js';
import { caseRole } from './actor.js';
import type { Case } from './case.js';
import { can } from './policy.js';
import { invalid, text } from './text.js';

export type MessageVisibility = 'shared' | 'internal';

export interface Message {
  id: string;
  caseId: string;
  at: string;
  /** null when the system wrote it */
  accountId: string | null;
  /** the writer's role on the case when they wrote */
  authorRole: CaseRole | 'system';
  authorName: string;
  visibility: MessageVisibility;
  body: string;
}

export interface MessageView {
  id: string;
  at: string;
  from: string;
  visibility: MessageVisibility;
  body: string;
  mine: boolean;
  /** the files that came with it */
  attachments: AttachmentView[];
}

export const MESSAGE_MAX = 20_000;

export function messageBody(value: unknown): string {
  return text(value, 'body', { max: MESSAGE_MAX, multiline: true });
}

export function parseVisibility(value: unknown): MessageVisibility {
  if (value === undefined || value === null || value === 'shared') return 'shared';
  if (value === 'internal') return 'internal';
  throw invalid('visibility', "must be 'shared' or 'internal'");
}

function label(m: Message, viewer: CaseRole, own: boolean): string {
  if (own) return 'you';
  const staffViewer = viewer === 'admin' || viewer === 'member';
  switch (m.authorRole) {
    case 'admin':
    case 'member':
      return `${m.authorName} (CPANSec team)`;
    case 'reporter':
      return staffViewer ? `${m.authorName} (reporter)` : 'the reporter';
    case 'author':
      return `${m.authorName} (author)`;
    case 'system':
      return 'cpansec';
    default:
      return staffViewer ? m.authorName : 'someone';
  }
}

/** The thread as this actor may read it, oldest first, each message with its files. */
export function visibleMessages(actor: Actor, c: Case, messages: readonly Message[], now: Date, attachments: readonly Attachment[] = []): MessageView[] {
  if (!can(actor, 'case.view', c, now)) return [];
  const internal = can(actor, 'message.viewInternal', c, now);
  const viewer = caseRole(actor, c);
  const me = actor.kind === 'account' ? actor.accountId : undefined;
  return [...messages]
    .filter((m) => m.caseId === c.id && (m.visibility === 'shared' || internal))
    .sort((a, b) => a.at.localeCompare(b.at)) // stable: ties keep the store's (insertion) order
    .map((m) => ({
      id: m.id,
      at: m.at,
      from: label(m, viewer, m.accountId !== null && m.accountId === me),
      visibility: m.visibility,
      body: m.body,
      mine: m.accountId !== null && m.accountId === me,
      attachments: attachments.filter((a) => a.caseId === c.id && a.messageId === m.id).map(attachmentView),
    }));
}
