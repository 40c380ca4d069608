/**
 * Authors' own TUF roles against the store (for `cpansec tuf …` and the server alike): the
 * registry's keys of an author as TUF keys, moving the delegations after a key change, and
 * publishing the version an author signed. Each loads the repository, changes it and saves what
 * changed in one store transaction.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Key } from '@tufjs/models';
import { SqlAuthorKeyStore, SqlTufStore, type Store } from '../store/index.js';

type Tuf = typeof import('../provenance/tuf/index.js');
type TufSigners = import('../provenance/tuf/index.js').TufSigners;
const ROLES = ['root', 'targets', 'snapshot', 'timestamp', 'delegation'] as const;

/** The role keys found in a keys directory (ROLE.pem; a missing file leaves the role out). */
export function signersFromDir(t: Tuf, dir: string): TufSigners {
  const out: TufSigners = {};
  for (const role of ROLES) {
    const file = path.join(dir, `${role}.pem`);
    if (existsSync(file)) out[role] = [t.signerFromPem(readFileSync(file, 'utf8'), file)];
  }
  return out;
}

/**
 * The active registered keys of each author who has registered any (an author whose every key
 * was revoked maps to none: their role stays theirs and verifies with nothing).
 */
export async function registeredAuthorKeys(store: Store, authors: Iterable<string>): Promise<Map<string, Key[]>> {
  const t = await import('../provenance/tuf/index.js');
  const a = await import('../provenance/attestation/index.js');
  const registry = new SqlAuthorKeyStore(store.db, store.dialect);
  const out = new Map<string, Key[]>();
  for (const author of new Set(authors)) {
    const changes = await registry.changes(author);
    if (changes.length === 0) continue;
    out.set(author, a.foldKeys(changes).filter((k) => k.status === 'active').map((k) => t.tufKeyOf(a.readPublicKey(k.publicKey, `the registered key ${k.keyId}`))));
  }
  return out;
}

/** Every author with a registered key history. */
export async function registeredAuthors(store: Store): Promise<string[]> {
  const registry = new SqlAuthorKeyStore(store.db, store.dialect);
  const authors = new Set<string>();
  for (let after = 0; ; ) {
    const page = await registry.log(after, 1000);
    if (page.length === 0) return [...authors].sort();
    for (const c of page) authors.add(c.author);
    after = page.at(-1)!.seq;
  }
}

async function loadRepo(tuf: SqlTufStore, t: Tuf) {
  const { latest, roots, pending } = await tuf.latest();
  return t.TufRepository.load(latest, roots, t.DEFAULT_EXPIRY_DAYS, pending);
}

/** Move the delegations of `authors` to their registered keys; what changed for each. */
export async function syncAuthorKeys(store: Store, signers: TufSigners, authors: readonly string[], now: Date): Promise<Map<string, import('../provenance/tuf/index.js').AuthorKeyUpdate>> {
  const t = await import('../provenance/tuf/index.js');
  const tuf = new SqlTufStore(store.db, store.dialect);
  const out = new Map<string, import('../provenance/tuf/index.js').AuthorKeyUpdate>();
  if (await tuf.isEmpty()) return out;
  const repo = await loadRepo(tuf, t);
  const keys = await registeredAuthorKeys(store, authors);
  for (const [author, list] of keys) out.set(author, t.setAuthorKeys(repo, author, list, signers, now));
  await tuf.save(repo.drain(), [], now, repo.drainPending());
  return out;
}

/** The version of `author`'s role awaiting their signature: its `signed` part, and the role as served. */
export async function pendingForAuthor(store: Store, author: string): Promise<{ signed: Record<string, unknown>; served?: Record<string, unknown> } | undefined> {
  const tuf = new SqlTufStore(store.db, store.dialect);
  const json = await tuf.pending(author);
  if (json === undefined) return undefined;
  const served = await tuf.document(author);
  return { signed: (JSON.parse(json) as { signed: Record<string, unknown> }).signed, ...(served ? { served: (JSON.parse(served) as { signed: Record<string, unknown> }).signed } : {}) };
}

/** Publish the pending version of `author`'s role with their signatures (refused unless theirs). */
export async function publishAuthorRole(store: Store, signers: TufSigners, author: string, signatures: readonly { keyid: string; sig: string }[], now: Date): Promise<{ version: number; targets: number }> {
  const t = await import('../provenance/tuf/index.js');
  const tuf = new SqlTufStore(store.db, store.dialect);
  const repo = await loadRepo(tuf, t);
  const keys = (await registeredAuthorKeys(store, [author])).get(author) ?? [];
  const md = t.signAuthorRole(repo, author, signatures, keys, signers, now);
  await tuf.save(repo.drain(), [], now, repo.drainPending());
  return { version: md.signed.version, targets: Object.keys(md.signed.targets).length };
}
