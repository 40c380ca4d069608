/**
 * The append-only audit log: who did what to which case, when, from which state to which, and
 * why. Entries form one hash chain (each hash covers the entry and the previous hash, SHA-256), so
 * editing, removing or reordering any entry breaks every later hash. Cutting entries off the end
 * leaves a valid shorter chain; to catch that, the head (`seq`, `hash`) is kept somewhere else —
 * the store's head record, the team's mails, what the operator wrote down — and a verification
 * checks that the log still reaches every head seen before.
 */
import { createHash } from 'node:crypto';

export type AuditValue = string | number | boolean | null;

export interface AuditEntry {
  /** 1, 2, 3 … without gaps */
  seq: number;
  at: string;
  /** actorLabel(): account:<id>, anonymous, system:<job> */
  actor: string;
  caseId: string | null;
  /** what happened: case.filed, case.transition, embargo.set, message.posted … */
  action: string;
  from: string | null;
  to: string | null;
  reason: string;
  /** small flat facts (ids, dates); never the report's text */
  data: Record<string, AuditValue>;
  prevHash: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export interface AuditHead {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of an entry: SHA-256 over a canonical JSON array of its fields and the previous hash. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const data = Object.keys(e.data)
    .sort()
    .map((k) => [k, e.data[k]]);
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.caseId, e.action, e.from, e.to, e.reason, data, e.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The next entry after `head` (null: the log is empty). */
export function chainEntry(draft: AuditDraft, head: AuditHead | null): AuditEntry {
  const unhashed = { ...draft, data: { ...draft.data }, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: entryHash(unhashed) };
}

export type AuditVerification =
  | { ok: true; count: number; head: AuditHead | null; checkedHeads?: AuditHead[] }
  | { ok: false; seq: number; problem: string };

/** A head as people write it down and mails carry it: `SEQ HASH` or `SEQ:HASH`. */
export function parseAuditHead(text: string): AuditHead | undefined {
  const m = /^\s*(\d{1,15})[\s:]+([0-9a-f]{64})\s*$/i.exec(text);
  return m ? { seq: Number(m[1]), hash: m[2]!.toLowerCase() } : undefined;
}

/**
 * Checks entries in order, one at a time, so a long log can be verified page by page. With heads
 * recorded earlier, it also checks that the log still reaches each of them unchanged.
 */
export class AuditVerifier {
  private expectSeq = 1;
  private prevHash = GENESIS_HASH;
  private failure: { seq: number; problem: string } | undefined;
  private readonly knownHeads: AuditHead[];
  private readonly hashAt = new Map<number, string>();

  constructor(known?: AuditHead | readonly AuditHead[]) {
    this.knownHeads = known === undefined ? [] : Array.isArray(known) ? [...known] : [known as AuditHead];
  }

  add(e: AuditEntry): boolean {
    if (this.failure) return false;
    if (e.seq !== this.expectSeq) this.failure = { seq: e.seq, problem: `expected entry ${this.expectSeq}, found ${e.seq} (entries missing or out of order)` };
    else if (e.prevHash !== this.prevHash) this.failure = { seq: e.seq, problem: 'does not link to the previous entry (an entry before it was changed or removed)' };
    else if (entryHash(e) !== e.hash) this.failure = { seq: e.seq, problem: 'its content does not match its hash (the entry was changed)' };
    if (this.failure) return false;
    if (this.knownHeads.some((h) => h.seq === e.seq)) this.hashAt.set(e.seq, e.hash);
    this.expectSeq++;
    this.prevHash = e.hash;
    return true;
  }

  result(): AuditVerification {
    if (this.failure) return { ok: false, ...this.failure };
    const count = this.expectSeq - 1;
    for (const known of this.knownHeads) {
      if (count < known.seq) return { ok: false, seq: known.seq, problem: `the log ends at entry ${count} but reached ${known.seq} before (entries cut off)` };
      if (this.hashAt.get(known.seq) !== known.hash) return { ok: false, seq: known.seq, problem: 'the entry at the recorded head has another hash (the log was rewritten)' };
    }
    return { ok: true, count, head: count ? { seq: count, hash: this.prevHash } : null, ...(this.knownHeads.length ? { checkedHeads: this.knownHeads } : {}) };
  }
}

export function verifyAuditLog(entries: Iterable<AuditEntry>, known?: AuditHead | readonly AuditHead[]): AuditVerification {
  const v = new AuditVerifier(known);
  for (const e of entries) if (!v.add(e)) break;
  return v.result();
}
