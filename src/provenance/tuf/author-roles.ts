/**
 * Authors' own roles (PEP 480's model for the authors who registered keys): the delegation to an
 * author's role names the author's registered Ed25519 keys, so that the role — the list of their
 * releases with lengths and hashes — is signed by the author and by no key of the server.
 *
 *   per-author delegations:  targets ──(author's keys)──▶ ETHER
 *   hashed bins:             targets ──(online key)──▶ bins-0a3 ──(author's keys)──▶ ETHER
 *
 * (with bins, each bin that holds a release path of the author delegates that author's directory
 * to the author's role, and lists none of those paths itself). The server prepares the next version
 * of the role (new releases, or a re-signature after a key change) and the author signs it
 * (`cpansec tuf sign-author`); until then clients are served the last version the author signed.
 * A key change in the registry moves the delegation to the author's active keys (rotated keys
 * are retired, revoked ones withdrawn): what the old key signed stops verifying until the author
 * signs again. Changing a delegation in `targets` needs the targets key; in a bin, the online one.
 */
import { sign, type KeyObject } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, Signature, Targets, type Key } from '@tufjs/models';
import { Delegations } from '@tufjs/models/dist/delegations.js';
import type { DelegatedRole } from '@tufjs/models/dist/role.js';
import { CpansecError } from '../../errors.js';
import { signWith, tufKeyOf } from './keys.js';
import { authorOfTarget } from './layout.js';
import { authorDelegation, DELEGATION, expiresAt, SPEC_VERSION, usedKeys, type TufRepository, type TufSigners } from './repository.js';

function need(signers: TufSigners, role: 'targets' | typeof DELEGATION) {
  const s = signers[role];
  if (!s?.length) throw new CpansecError('USAGE', `this change needs the ${role} key`);
  return s;
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** A targets role's next version with `author` delegated to `keys` (and `drop` removed from its own targets). */
function redelegated(md: Metadata<Targets>, author: string, keys: readonly Key[], now: Date, days: number, drop: readonly string[] = [], bump = true): Targets {
  const t = md.signed;
  const d = t.delegations;
  const roles: Record<string, DelegatedRole> = { ...d?.roles, [author]: authorDelegation(author, keys.map((k) => k.keyID)) };
  const allKeys = { ...d?.keys, ...Object.fromEntries(keys.map((k) => [k.keyID, k])) };
  const targets = { ...t.targets };
  for (const p of drop) delete targets[p];
  return new Targets({ version: t.version + (bump ? 1 : 0), specVersion: SPEC_VERSION, expires: expiresAt(now, days), targets, delegations: new Delegations({ keys: usedKeys(allKeys, roles), roles }) });
}

/** The roles that delegate to `author`'s own role: targets, or the bins that do. */
export function delegatorsOf(repo: TufRepository, author: string): string[] {
  if (!repo.bins) return repo.targets.signed.delegations?.roles?.[author] ? ['targets'] : [];
  return [...repo.delegated].filter(([name, md]) => repo.isBin(name) && md.signed.delegations?.roles?.[author]).map(([name]) => name);
}

/** The key ids the delegation to `author` names now, or undefined when the author has no role of their own. */
export function delegatedKeyIds(repo: TufRepository, author: string): string[] | undefined {
  const by = delegatorsOf(repo, author)[0];
  if (!by) return undefined;
  const md = by === 'targets' ? repo.targets : repo.delegated.get(by)!;
  return md.signed.delegations!.roles![author]!.keyIDs;
}

function verifies(parent: Metadata<Targets>, author: string, md: Metadata<Targets>): boolean {
  try {
    parent.verifyDelegate(author, md);
    return true;
  } catch {
    return false;
  }
}

export interface AuthorKeyUpdate {
  /** the roles re-signed because their delegation to the author changed */
  changed: string[];
  /** a version of the author's role now awaits their signature */
  awaitingSignature: boolean;
  /** the key ids the delegation names */
  keyIds: string[];
}

/**
 * Point the delegation to `author`'s role at `keys` (their active registered keys; none when every
 * key was revoked, and then nothing of theirs verifies until they register one and sign). An author
 * whose releases were signed by the server (per-author roles) moves to a role of their own.
 */
export function setAuthorKeys(repo: TufRepository, author: string, keys: readonly Key[], signers: TufSigners, now: Date): AuthorKeyUpdate {
  const ids = keys.map((k) => k.keyID);
  const changed: string[] = [];
  if (!repo.bins) {
    const role = repo.targets.signed.delegations?.roles?.[author];
    if (role && !sameIds(role.keyIDs, ids)) {
      repo.targets = new Metadata(redelegated(repo.targets, author, keys, now, repo.expiryDays.targets));
      signWith(repo.targets, need(signers, 'targets'));
      repo.emit('targets', repo.targets);
      changed.push('targets');
    }
  } else {
    for (const bin of delegatorsOf(repo, author)) {
      const md = repo.delegated.get(bin)!;
      if (sameIds(md.signed.delegations!.roles![author]!.keyIDs, ids)) continue;
      const next = new Metadata(redelegated(md, author, keys, now, repo.expiryDays.delegation));
      signWith(next, need(signers, DELEGATION));
      repo.delegated.set(bin, next);
      repo.emit(bin, next);
      changed.push(bin);
    }
  }
  // with bins, an author's releases signed by the server so far move to their own role when they sign it
  if (repo.bins && ids.length > 0 && !repo.delegated.has(author) && !repo.pending.has(author)) {
    const theirs = [...repo.delegated].filter(([name]) => repo.isBin(name)).flatMap(([, md]) => Object.values(md.signed.targets).filter((t) => authorOfTarget(t.path) === author));
    if (theirs.length) repo.prepareAuthorRole(author, theirs, now);
  }
  // the role as served no longer verifies under the new keys: the author signs it again
  const current = repo.delegated.get(author);
  const parent = repo.bins ? repo.delegated.get(delegatorsOf(repo, author)[0] ?? '') : repo.targets;
  if (current && parent && !repo.pending.has(author) && !verifies(parent, author, current)) repo.prepareAuthorRole(author, [], now);
  if (changed.length) repo.newSnapshot(signers, now);
  return { changed, awaitingSignature: repo.pending.has(author), keyIds: ids };
}

/** What the author is asked to sign: the `signed` part of the pending version of their role. */
export function pendingAuthorRole(repo: TufRepository, author: string): Metadata<Targets> {
  const md = repo.pending.get(author);
  if (!md) throw new CpansecError('NOT_FOUND', `nothing awaits ${author}'s signature`);
  return md;
}

/** One author's signatures over the pending version of their role, and their registered keys. */
export interface AuthorSignatures {
  author: string;
  signatures: readonly { keyid: string; sig: string }[];
  keys: readonly Key[];
}

/**
 * Publish the pending version of `author`'s role with the author's signatures (hex Ed25519 over
 * its canonical JSON, as TUF signs): verified against the delegation to the author — with bins,
 * made now in the bins of the role's paths, with `keys`, the author's registered keys — then
 * served, with a new snapshot and timestamp.
 */
export function signAuthorRole(repo: TufRepository, author: string, signatures: readonly { keyid: string; sig: string }[], keys: readonly Key[], signers: TufSigners, now: Date): Metadata<Targets> {
  return signAuthorRoles(repo, [{ author, signatures, keys }], signers, now)[0]!;
}

/**
 * The same for many authors at once (a mirror's first import): every role verified first, then
 * each bin re-signed once and one snapshot for all; one bad signature and nothing is published.
 */
export function signAuthorRoles(repo: TufRepository, list: readonly AuthorSignatures[], signers: TufSigners, now: Date): Metadata<Targets>[] {
  const staged = new Map<string, Metadata<Targets>>();
  const signed: Metadata<Targets>[] = [];
  for (const { author, signatures, keys } of list) {
    const pending = pendingAuthorRole(repo, author);
    const md = Metadata.fromJSON(MetadataKind.Targets, { signed: pending.signed.toJSON(), signatures: signatures.slice(0, 16).map((s) => new Signature({ keyID: s.keyid, sig: s.sig }).toJSON()) } as never);
    for (const p of Object.keys(md.signed.targets)) {
      if (authorOfTarget(p) !== author) throw new CpansecError('USAGE', `${p} is not in ${author}'s directory`);
    }
    // the delegations this version needs, checked before anything changes
    let parent: Metadata<Targets> | undefined = repo.bins ? undefined : repo.targets;
    if (repo.bins) {
      const ids = keys.map((k) => k.keyID);
      for (const p of Object.keys(md.signed.targets)) {
        const bin = repo.bins.getRoleForTarget(p);
        let next = staged.get(bin);
        if (next) {
          // a bin already re-made (unsigned) in this batch: change it in place, no copy per author
          const d = next.signed.delegations!;
          if (!d.roles![author] || !sameIds(d.roles![author]!.keyIDs, ids)) {
            d.roles![author] = authorDelegation(author, ids);
            for (const k of keys) d.keys[k.keyID] = k;
          }
          delete next.signed.targets[p];
        } else {
          const base = repo.delegated.get(bin)!;
          const role = base.signed.delegations?.roles?.[author];
          const mine = Object.keys(base.signed.targets).filter((t) => authorOfTarget(t) === author);
          if (role && sameIds(role.keyIDs, ids) && mine.length === 0) next = base;
          else {
            next = new Metadata(redelegated(base, author, keys, now, repo.expiryDays.delegation, mine));
            staged.set(bin, next);
          }
        }
        parent ??= next;
      }
    }
    if (!parent) throw new CpansecError('USAGE', `${author}'s role lists no release`);
    // every delegation to the author names the same keys: one check answers for all
    try {
      parent.verifyDelegate(author, md);
    } catch (e) {
      const named = signatures.map((s) => s.keyid.slice(0, 16)).join(', ') || 'none';
      throw new CpansecError('FORBIDDEN', `version ${md.signed.version} of ${author}'s role is not signed by the keys delegated to ${author} (${(e as Error).message}; signatures by ${named})`);
    }
    signed.push(md);
  }
  for (const [bin, next] of staged) {
    const d = next.signed.delegations!;
    (d as { keys: Record<string, Key> }).keys = usedKeys(d.keys, d.roles!);
    signWith(next, need(signers, DELEGATION));
    repo.delegated.set(bin, next);
    repo.emit(bin, next);
  }
  for (const [i, md] of signed.entries()) {
    const author = list[i]!.author;
    repo.delegated.set(author, md);
    repo.emit(author, md);
    repo.setPending(author, undefined);
  }
  repo.newSnapshot(signers, now);
  return signed;
}

/** The author's signature over the `signed` part of their role (TUF: Ed25519 over its canonical JSON, hex). */
export function authorSignature(signed: Targets | Record<string, unknown>, privateKey: KeyObject, publicKey: KeyObject): { keyid: string; sig: string } {
  const json = signed instanceof Targets ? signed.toJSON() : signed;
  return { keyid: tufKeyOf(publicKey).keyID, sig: sign(null, Buffer.from(canonicalize(json as never)), privateKey).toString('hex') };
}
