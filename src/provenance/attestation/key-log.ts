/**
 * Author key changes in the transparency log. Each change (add, rotate, revoke) is one log entry in
 * the log's own entry format, so that every monitor of the log sees it without a new entry type:
 *
 *     path ETHER/_keys/00000003-rotate.json     (the author's directory; `_keys` is no release)
 *     sha256 <SHA-256 of the change's document>
 *     time <when the change was made>
 *     uploader ETHER
 *
 * The document is the change as JSON with sorted keys and no white space (RFC 8785's form for these
 * ASCII-and-integer documents; TUF's canonical JSON would leave the PEM's newlines raw), served
 * by GET /v1/authors/{PAUSEID}/keys/changes/{seq}: anyone can hash it and find it in the log, and a
 * server that rewrote or hid a change is caught by the log's one-path-one-hash rule or by the
 * entry it cannot explain.
 */
import { createHash } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import type { AddOutcome } from '../log/append.js';
import type { ReleaseEntry } from '../log/entry.js';
import type { AuthorKeyStore, KeyChange } from './registry.js';

export const KEY_CHANGE_DOCUMENT_TYPE = 'https://cpansec.dev/author-key-change/v1';
export const KEY_CHANGE_DIRECTORY = '_keys';
const KEY_CHANGE_PATH = /^([A-Z][A-Z0-9-]{1,8})\/_keys\/(\d{8})-(add|rotate|revoke)\.json$/;

export function keyChangeDocument(c: KeyChange): Buffer {
  const doc: Record<string, unknown> = { _type: KEY_CHANGE_DOCUMENT_TYPE, seq: c.seq, at: c.at, author: c.author, action: c.action, keyId: c.keyId, publicKey: c.publicKey, previousKeyId: c.previousKeyId, reason: c.reason, by: c.by };
  // keys sorted, no white space: one byte string per change, whoever serialises it
  return Buffer.from(JSON.stringify(Object.fromEntries(Object.keys(doc).sort().map((k) => [k, doc[k]]))));
}

export function keyChangePath(c: Pick<KeyChange, 'author' | 'seq' | 'action'>): string {
  return `${c.author}/${KEY_CHANGE_DIRECTORY}/${String(c.seq).padStart(8, '0')}-${c.action}.json`;
}

/** The log entry recording a key change. */
export function keyChangeLogEntry(c: KeyChange): ReleaseEntry {
  return {
    path: keyChangePath(c),
    sha256: createHash('sha256').update(keyChangeDocument(c)).digest('hex'),
    time: new Date(c.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    uploader: c.author,
  };
}

/** The author and sequence number of a log path that records a key change, or undefined. */
export function parseKeyChangePath(path: string): { author: string; seq: number; action: string } | undefined {
  const m = KEY_CHANGE_PATH.exec(path);
  return m ? { author: m[1]!, seq: Number(m[2]), action: m[3]! } : undefined;
}

export type AppendToLog = (entries: readonly ReleaseEntry[]) => Promise<AddOutcome[]>;

export interface LoggedChange {
  path: string;
  index: number;
  status: 'added' | 'exists';
}

/**
 * Append the entries of `changes` through the log's own append (a change logged before is answered
 * with its index). A path the log holds with another hash means the history was rewritten: refused.
 */
export async function logKeyChanges(changes: readonly KeyChange[], append: AppendToLog): Promise<LoggedChange[]> {
  const entries = changes.map(keyChangeLogEntry);
  if (entries.length === 0) return [];
  const outcomes = await append(entries);
  return outcomes.map((o, i) => {
    const path = entries[i]!.path;
    if (o.status === 'conflict') {
      throw new CpansecError('INTEGRITY_ERROR', `${path} is in the transparency log (entry ${o.index}) with SHA-256 ${o.sha256}, but the key history now gives ${entries[i]!.sha256}: the history was rewritten`);
    }
    return { path, index: o.index, status: o.status };
  });
}

/** Log every change of the registry not logged yet (after a crash between the two writes, or for a registry older than the log). */
export async function catchUpKeyChanges(keys: Pick<AuthorKeyStore, 'log'>, append: AppendToLog, page = 1000): Promise<number> {
  let after = 0;
  let added = 0;
  for (;;) {
    const changes = await keys.log(after, page);
    if (changes.length === 0) return added;
    added += (await logKeyChanges(changes, append)).filter((l) => l.status === 'added').length;
    after = changes.at(-1)!.seq;
  }
}
