/**
 * Author keys bound to PAUSE ids, as an append-only list of changes: `add` (a key for an author),
 * `rotate` (a new key replaces one, which is retired: still good for what it signed), `revoke`
 * (a key is withdrawn: nothing it signed is believed any more). The keys an author has now are a
 * fold of the changes; a change is planned against that state, so an impossible one (a key of
 * another author, a revoked key rotated) is refused before it is written.
 */
import { createPublicKey } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import { keyIdOf, publicKeyPem, readPublicKey } from './keys.js';
import type { KeyStatus } from './verify.js';

export type KeyAction = 'add' | 'rotate' | 'revoke';

export interface KeyChange {
  seq: number;
  at: string;
  author: string;
  action: KeyAction;
  /** the key added, the new key of a rotation, the key revoked */
  keyId: string;
  /** SPKI PEM of an added or new key */
  publicKey: string | null;
  /** rotate: the key it replaces */
  previousKeyId: string | null;
  reason: string | null;
  /** who made the change: `admin:NAME`, or `key:KEYID` for an author's signed request */
  by: string;
}

export interface AuthorKey {
  keyId: string;
  publicKey: string;
  status: KeyStatus;
  addedAt: string;
  changedAt?: string;
  reason?: string;
}

export const PAUSE_ID = /^[A-Z][A-Z0-9-]{1,8}$/;
const MAX_REASON = 500;

export function foldKeys(changes: readonly KeyChange[]): AuthorKey[] {
  const keys = new Map<string, AuthorKey>();
  for (const c of changes) {
    if (c.action === 'add' || c.action === 'rotate') keys.set(c.keyId, { keyId: c.keyId, publicKey: c.publicKey ?? '', status: 'active', addedAt: c.at });
    if (c.action === 'rotate' && c.previousKeyId) {
      const old = keys.get(c.previousKeyId);
      if (old && old.status === 'active') Object.assign(old, { status: 'retired', changedAt: c.at, reason: c.reason ?? `rotated to ${c.keyId}` });
    }
    if (c.action === 'revoke') {
      const k = keys.get(c.keyId);
      if (k) Object.assign(k, { status: 'revoked', changedAt: c.at, ...(c.reason ? { reason: c.reason } : {}) });
    }
  }
  return [...keys.values()];
}

export type KeyChangeRequest =
  | { action: 'add'; author: string; publicKey: string }
  | { action: 'rotate'; author: string; previousKeyId: string; publicKey: string; reason?: string }
  | { action: 'revoke'; author: string; keyId: string; reason?: string };

function normalisedKey(text: string): { pem: string; keyId: string } {
  const key = readPublicKey(text, 'publicKey');
  if (key.asymmetricKeyType !== 'ed25519') throw new CpansecError('USAGE', `publicKey: an ${key.asymmetricKeyType ?? 'unknown'} key; author keys are Ed25519`);
  const pem = publicKeyPem(createPublicKey(key.export({ type: 'spki', format: 'pem' })));
  return { pem, keyId: keyIdOf(key) };
}

/**
 * The change a request makes to an author's keys, checked against them; `taken` says whether a
 * key id is registered already (to any author: a key belongs to one author only).
 */
export function planKeyChange(req: KeyChangeRequest, current: readonly AuthorKey[], taken: (keyId: string) => boolean, at: string, by: string): Omit<KeyChange, 'seq'> {
  const author = req.author.toUpperCase();
  if (!PAUSE_ID.test(author)) throw new CpansecError('USAGE', `'${req.author}' is not a PAUSE id`);
  const reason = 'reason' in req && req.reason ? req.reason.slice(0, MAX_REASON) : null;
  const find = (id: string) => current.find((k) => k.keyId === id);
  if (req.action === 'revoke') {
    const k = find(req.keyId);
    if (!k) throw new CpansecError('NOT_FOUND', `key ${req.keyId} is not a key of ${author}`);
    if (k.status === 'revoked') throw new CpansecError('CONFLICT', `key ${req.keyId} of ${author} is revoked already`);
    return { at, author, action: 'revoke', keyId: k.keyId, publicKey: null, previousKeyId: null, reason, by };
  }
  const { pem, keyId } = normalisedKey(req.publicKey);
  if (taken(keyId)) throw new CpansecError('CONFLICT', `key ${keyId} is registered already`);
  if (req.action === 'add') return { at, author, action: 'add', keyId, publicKey: pem, previousKeyId: null, reason: null, by };
  const old = find(req.previousKeyId);
  if (!old) throw new CpansecError('NOT_FOUND', `key ${req.previousKeyId} is not a key of ${author}`);
  if (old.status !== 'active') throw new CpansecError('CONFLICT', `key ${req.previousKeyId} of ${author} is ${old.status}; only an active key is rotated`);
  return { at, author, action: 'rotate', keyId, publicKey: pem, previousKeyId: old.keyId, reason, by };
}

/** The store of key changes, implemented by src/store/provenance-keys. */
export interface AuthorKeyStore {
  changes(author: string): Promise<KeyChange[]>;
  /** plan and append one change in one transaction (the plan sees the committed state) */
  apply(req: KeyChangeRequest, at: string, by: string): Promise<KeyChange>;
  /** every change, in order, from `afterSeq` (the public log of changes) */
  log(afterSeq: number, limit: number): Promise<KeyChange[]>;
}
