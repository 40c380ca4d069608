/**
 * The TUF repository of a CPAN mirror (TUF spec 1.0.34), over @tufjs/models' metadata classes:
 * root; targets, delegating to one role per PAUSE author (paths authors/id/X/XY/AUTHOR/…) or, for a
 * mirror of many authors, to hashed bins (succinct roles, as PEP 458 does for PyPI); snapshot;
 * timestamp. Consistent snapshots: every version of every role stays addressable as
 * VERSION.ROLE.json, targets by HASH.NAME. Each operation signs what it changes and returns the new
 * documents; the caller stores them (append-only) and serves them.
 */
import { MetaFile, Metadata, MetadataKind, Root, Snapshot, TargetFile, Targets, Timestamp, type Key } from '@tufjs/models';
// the package's index leaves out the delegation classes; its files are plain CommonJS modules
import { Delegations } from '@tufjs/models/dist/delegations.js';
import { DelegatedRole, Role, SuccinctRoles } from '@tufjs/models/dist/role.js';
import { createHash } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import { authorDirectory, authorOfTarget } from './layout.js';
import { signWith, type AnyMetadata, type TufSigner } from './keys.js';
import { installLinearJson } from './linear-json.js';

// before any metadata is read or written: the library's own conversions are quadratic (linear-json.ts)
installLinearJson();

export const SPEC_VERSION = '1.0.34';
export const TOP_ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type TopRole = (typeof TOP_ROLES)[number];
/** the online key that signs the delegated roles (per-author roles or bins) */
export const DELEGATION = 'delegation';
export type KeyRole = TopRole | typeof DELEGATION;

/** How long each role's metadata is valid (days), PEP 458's order of magnitude. */
export const DEFAULT_EXPIRY_DAYS: Record<KeyRole, number> = { root: 365, targets: 90, delegation: 90, snapshot: 7, timestamp: 1 };
/** an author signs their own role now and then, not every quarter */
export const AUTHOR_ROLE_EXPIRY_DAYS = 365;

export interface TufDocument {
  role: string;
  version: number;
  json: string;
}

export type TufSigners = Partial<Record<KeyRole, TufSigner[]>>;

export interface TufOptions {
  /** hashed bins: 2^bits bins instead of one role per author */
  binBits?: number;
  thresholds?: Partial<Record<KeyRole, number>>;
  expiryDays?: Partial<Record<KeyRole, number>>;
}

export interface TargetEntry {
  path: string;
  length: number;
  sha256: string;
  sha512: string;
}

export function expiresAt(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const serialize = (md: AnyMetadata): string => JSON.stringify(md.toJSON());

function need(signers: TufSigners, role: KeyRole): TufSigner[] {
  const s = signers[role];
  if (!s || s.length === 0) throw new CpansecError('USAGE', `this change needs the ${role} key`);
  return s;
}

export class TufRepository {
  readonly docs: TufDocument[] = [];
  /** author roles prepared for their author's signature (not served until signed; author-roles.ts) */
  readonly pending = new Map<string, Metadata<Targets>>();
  /** pending roles written (JSON) or withdrawn (null) since the last drain */
  private readonly pendingChanges = new Map<string, string | null>();

  constructor(
    public roots: Metadata<Root>[],
    public targets: Metadata<Targets>,
    public delegated: Map<string, Metadata<Targets>>,
    public snapshot: Metadata<Snapshot>,
    public timestamp: Metadata<Timestamp>,
    readonly expiryDays: Record<KeyRole, number> = DEFAULT_EXPIRY_DAYS,
  ) {}

  get root(): Metadata<Root> {
    return this.roots.at(-1)!;
  }

  get bins(): SuccinctRoles | undefined {
    return this.targets.signed.delegations?.succinctRoles;
  }

  /** @internal record a new signed document (for author-roles.ts too) */
  emit(role: string, md: AnyMetadata): void {
    this.docs.push({ role, version: md.signed.version, json: serialize(md) });
  }

  /** Take the documents produced so far (to store them). */
  drain(): TufDocument[] {
    return this.docs.splice(0);
  }

  /** @internal set (or, with undefined, withdraw) the role awaiting an author's signature */
  setPending(role: string, md: Metadata<Targets> | undefined): void {
    if (md) this.pending.set(role, md);
    else this.pending.delete(role);
    this.pendingChanges.set(role, md ? serialize(md) : null);
  }

  /** Take the pending roles written or withdrawn so far (to store them with the documents). */
  drainPending(): { role: string; json: string | null }[] {
    const out = [...this.pendingChanges].map(([role, json]) => ({ role, json }));
    this.pendingChanges.clear();
    return out;
  }

  /** Is `name` one of the hashed bins (and not an author's own role)? */
  isBin(name: string): boolean {
    return this.bins?.isDelegatedRole(name) ?? false;
  }

  static init(signers: Required<Pick<TufSigners, TopRole | typeof DELEGATION>>, now: Date, o: TufOptions = {}): TufRepository {
    const days = { ...DEFAULT_EXPIRY_DAYS, ...o.expiryDays };
    const th = (r: KeyRole) => o.thresholds?.[r] ?? 1;
    const keys = Object.fromEntries(TOP_ROLES.flatMap((r) => signers[r].map((s) => [s.key.keyID, s.key])));
    const roles = Object.fromEntries(TOP_ROLES.map((r) => [r, new Role({ keyIDs: signers[r].map((s) => s.key.keyID), threshold: th(r) })]));
    for (const r of [...TOP_ROLES, DELEGATION] as KeyRole[]) {
      if (th(r) > signers[r].length) throw new CpansecError('USAGE', `the ${r} threshold ${th(r)} is more than its ${signers[r].length} keys`);
    }
    const root = new Metadata(new Root({ version: 1, specVersion: SPEC_VERSION, expires: expiresAt(now, days.root), keys, roles, consistentSnapshot: true }));
    signWith(root, signers.root);
    const delegationKeys = Object.fromEntries(signers.delegation.map((s) => [s.key.keyID, s.key]));
    const delegations =
      o.binBits !== undefined
        ? new Delegations({ keys: delegationKeys, succinctRoles: new SuccinctRoles({ keyIDs: Object.keys(delegationKeys), threshold: th(DELEGATION), bitLength: o.binBits, namePrefix: 'bins' }) })
        : new Delegations({ keys: delegationKeys, roles: {} });
    const targets = new Metadata(new Targets({ version: 1, specVersion: SPEC_VERSION, expires: expiresAt(now, days.targets), delegations }));
    signWith(targets, signers.targets);
    const delegated = new Map<string, Metadata<Targets>>();
    const repo = new TufRepository([root], targets, delegated, undefined as never, undefined as never, days);
    if (delegations.succinctRoles) {
      for (const name of delegations.succinctRoles.getRoles()) {
        const bin = new Metadata(new Targets({ version: 1, specVersion: SPEC_VERSION, expires: expiresAt(now, days.delegation) }));
        signWith(bin, signers.delegation);
        delegated.set(name, bin);
      }
    }
    repo.emit('root', root);
    repo.emit('targets', targets);
    for (const [name, md] of delegated) repo.emit(name, md);
    repo.snapshot = new Metadata(new Snapshot({ version: 0, specVersion: SPEC_VERSION, expires: expiresAt(now, days.snapshot) }));
    repo.timestamp = new Metadata(new Timestamp({ version: 0, specVersion: SPEC_VERSION, expires: expiresAt(now, days.timestamp) }));
    repo.newSnapshot(signers, now);
    return repo;
  }

  /** A new snapshot (every targets role's version) and a timestamp for it. */
  newSnapshot(signers: TufSigners, now: Date): void {
    const meta: Record<string, MetaFile> = { 'targets.json': new MetaFile({ version: this.targets.signed.version }) };
    for (const [name, md] of this.delegated) meta[`${name}.json`] = new MetaFile({ version: md.signed.version });
    this.snapshot = new Metadata(new Snapshot({ version: this.snapshot.signed.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.snapshot), meta }));
    signWith(this.snapshot, need(signers, 'snapshot'));
    this.emit('snapshot', this.snapshot);
    this.newTimestamp(signers, now);
  }

  private newTimestamp(signers: TufSigners, now: Date): void {
    const bytes = Buffer.from(serialize(this.snapshot));
    const snapshotMeta = new MetaFile({ version: this.snapshot.signed.version, length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } });
    this.timestamp = new Metadata(new Timestamp({ version: this.timestamp.signed.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.timestamp), snapshotMeta }));
    signWith(this.timestamp, need(signers, 'timestamp'));
    this.emit('timestamp', this.timestamp);
  }

  /** The delegated role that signs a target path. */
  roleFor(path: string): string {
    const author = authorOfTarget(path);
    return this.bins ? this.bins.getRoleForTarget(path) : author;
  }

  /**
   * Add (or replace) release files. Per-author roles are created on an author's first release,
   * which changes `targets` and so needs its key; bins exist from the start. The releases of an
   * author in `authorKeys` (one with keys in the registry) go into their role awaiting their own
   * signature (author-roles.ts), delegated to their keys.
   */
  addTargets(entries: readonly TargetEntry[], signers: TufSigners, now: Date, authorKeys: ReadonlyMap<string, readonly Key[]> = new Map()): void {
    const byRole = new Map<string, TargetEntry[]>();
    const byKeyedAuthor = new Map<string, TargetEntry[]>();
    for (const e of entries) {
      const author = authorOfTarget(e.path);
      const [map, role] = authorKeys.has(author) ? [byKeyedAuthor, author] : [byRole, this.roleFor(e.path)];
      const list = map.get(role);
      if (list) list.push(e);
      else map.set(role, [e]);
    }
    const delegations = this.targets.signed.delegations!;
    const newAuthors = [...byRole.keys(), ...byKeyedAuthor.keys()].filter((r) => !this.bins && !delegations.roles?.[r]);
    if (newAuthors.length > 0) {
      const roles = { ...delegations.roles };
      const keys = { ...delegations.keys };
      // the online key signs the roles of authors without keys of their own
      const online = byRole.size > 0 ? need(signers, DELEGATION) : [];
      for (const o of online) keys[o.key.keyID] = o.key;
      const threshold = Object.values(delegations.roles ?? {}).find((r) => online.some((o) => r.keyIDs.includes(o.key.keyID)))?.threshold ?? 1;
      for (const a of newAuthors) {
        const own = authorKeys.get(a);
        for (const k of own ?? []) keys[k.keyID] = k;
        roles[a] = authorDelegation(a, own ? own.map((k) => k.keyID) : online.map((o) => o.key.keyID), own ? 1 : threshold);
      }
      const t = this.targets.signed;
      this.targets = new Metadata(new Targets({ version: t.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.targets), targets: t.targets, delegations: new Delegations({ keys: usedKeys(keys, roles), roles }) }));
      signWith(this.targets, need(signers, 'targets'));
      this.emit('targets', this.targets);
    }
    for (const [author, list] of byKeyedAuthor) this.prepareAuthorRole(author, list, now);
    if (byRole.size === 0 && newAuthors.length === 0) return;
    for (const [role, list] of byRole) {
      const old = this.delegated.get(role)?.signed;
      const files: Record<string, TargetFile> = { ...old?.targets };
      for (const e of list) {
        const author = authorOfTarget(e.path);
        files[e.path] = new TargetFile({ path: e.path, length: e.length, hashes: { sha256: e.sha256, sha512: e.sha512 }, unrecognizedFields: { custom: { cpan: { author } } } });
      }
      const md = new Metadata(new Targets({ version: (old?.version ?? 0) + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.delegation), targets: files, ...(old?.delegations ? { delegations: old.delegations } : {}) }));
      signWith(md, need(signers, DELEGATION));
      this.delegated.set(role, md);
      this.emit(role, md);
    }
    this.newSnapshot(signers, now);
  }

  /**
   * @internal The next version of an author's own role with `entries` added, awaiting the
   * author's signature: on top of what awaits already, else of the role as served.
   */
  prepareAuthorRole(author: string, entries: readonly (TargetEntry | TargetFile)[], now: Date, removed: readonly string[] = []): Metadata<Targets> {
    const base = this.pending.get(author)?.signed ?? this.delegated.get(author)?.signed;
    const files: Record<string, TargetFile> = { ...base?.targets };
    for (const p of removed) delete files[p];
    for (const e of entries) files[e.path] = e instanceof TargetFile ? e : new TargetFile({ path: e.path, length: e.length, hashes: { sha256: e.sha256, sha512: e.sha512 }, unrecognizedFields: { custom: { cpan: { author } } } });
    const md = new Metadata(new Targets({ version: (this.delegated.get(author)?.signed.version ?? 0) + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, AUTHOR_ROLE_EXPIRY_DAYS), targets: files }));
    this.setPending(author, md);
    return md;
  }

  /**
   * Keep the metadata from expiring: a new timestamp when it expires within `margin` of its
   * lifetime (always with `force`), and a new snapshot too when the snapshot does.
   */
  refresh(signers: TufSigners, now: Date, o: { force?: boolean; marginFraction?: number } = {}): { snapshot: boolean; timestamp: boolean } {
    const m = o.marginFraction ?? 0.5;
    const soon = (expires: string, days: number) => Date.parse(expires) - now.getTime() < days * 86_400_000 * m;
    if (soon(this.snapshot.signed.expires, this.expiryDays.snapshot) || (o.force && signers.snapshot?.length)) {
      this.newSnapshot(signers, now);
      return { snapshot: true, timestamp: true };
    }
    if (o.force || soon(this.timestamp.signed.expires, this.expiryDays.timestamp)) {
      this.newTimestamp(signers, now);
      return { snapshot: false, timestamp: true };
    }
    return { snapshot: false, timestamp: false };
  }

  /**
   * Replace a role's keys: a new root version names them, signed by the old root keys (a
   * threshold of them) and, when root itself changes, by the new ones too (spec §5.3.4); the role's
   * metadata is then re-signed with its new keys.
   */
  rotate(role: KeyRole, newSigners: TufSigner[], signers: TufSigners, now: Date, threshold?: number): void {
    const old = this.root.signed;
    const keys = { ...old.keys };
    const roles: Record<string, Role> = { ...old.roles };
    if (role === DELEGATION) {
      this.rotateDelegation(newSigners, signers, now, threshold);
      return;
    }
    const t = threshold ?? old.roles[role]!.threshold;
    if (t > newSigners.length) throw new CpansecError('USAGE', `threshold ${t} is more than the ${newSigners.length} new keys`);
    roles[role] = new Role({ keyIDs: newSigners.map((s) => s.key.keyID), threshold: t });
    for (const s of newSigners) keys[s.key.keyID] = s.key;
    const used = new Set(Object.values(roles).flatMap((r) => r.keyIDs));
    for (const id of Object.keys(keys)) if (!used.has(id)) delete keys[id];
    const root = new Metadata(new Root({ version: old.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.root), keys, roles, consistentSnapshot: true }));
    const oldRoot = need(signers, 'root');
    signWith(root, role === 'root' ? [...oldRoot, ...newSigners.filter((n) => !oldRoot.some((o) => o.key.keyID === n.key.keyID))] : oldRoot);
    this.roots.push(root);
    this.emit('root', root);
    const next = { ...signers, [role]: newSigners };
    if (role === 'targets') {
      const t2 = this.targets.signed;
      this.targets = new Metadata(new Targets({ version: t2.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.targets), targets: t2.targets, ...(t2.delegations ? { delegations: t2.delegations } : {}) }));
      signWith(this.targets, newSigners);
      this.emit('targets', this.targets);
    }
    if (role === 'targets' || role === 'snapshot') this.newSnapshot(next, now);
    else this.newTimestamp(next, now);
  }

  /** New online delegation keys: targets names them, every delegated role is re-signed. */
  private rotateDelegation(newSigners: TufSigner[], signers: TufSigners, now: Date, threshold?: number): void {
    const t = this.targets.signed;
    const d = t.delegations!;
    const keys = Object.fromEntries(newSigners.map((s) => [s.key.keyID, s.key]));
    const ids = Object.keys(keys);
    const th = threshold ?? 1;
    // roles delegated to an author's own keys keep them; the others move to the new online keys
    const oldOnline = new Set((signers.delegation ?? []).map((s) => s.key.keyID));
    const serverSigned = (r: DelegatedRole) => r.keyIDs.length > 0 && r.keyIDs.every((id) => oldOnline.has(id));
    const roles = Object.fromEntries(Object.entries(d.roles ?? {}).map(([n, r]) => [n, serverSigned(r) ? new DelegatedRole({ name: n, keyIDs: ids, threshold: th, terminating: r.terminating, ...(r.paths ? { paths: r.paths } : {}) }) : r]));
    const delegations = d.succinctRoles
      ? new Delegations({ keys, succinctRoles: new SuccinctRoles({ keyIDs: ids, threshold: th, bitLength: d.succinctRoles.bitLength, namePrefix: d.succinctRoles.namePrefix }) })
      : new Delegations({ keys: usedKeys({ ...d.keys, ...keys }, roles), roles });
    this.targets = new Metadata(new Targets({ version: t.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.targets), targets: t.targets, delegations }));
    signWith(this.targets, need(signers, 'targets'));
    this.emit('targets', this.targets);
    for (const [name, md] of this.delegated) {
      // an author's own role is theirs to sign
      if (d.succinctRoles ? !this.isBin(name) : !serverSigned(d.roles![name]!)) continue;
      const s = md.signed;
      const next = new Metadata(new Targets({ version: s.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(now, this.expiryDays.delegation), targets: s.targets, ...(s.delegations ? { delegations: s.delegations } : {}) }));
      signWith(next, newSigners);
      this.delegated.set(name, next);
      this.emit(name, next);
    }
    this.newSnapshot(signers, now);
  }

  /** The target file entry of a path, from its delegated role. */
  target(path: string): TargetFile | undefined {
    let role: string;
    try {
      role = this.roleFor(path);
    } catch {
      return undefined;
    }
    return this.delegated.get(role)?.signed.targets[path] ?? this.delegated.get(authorOfTarget(path))?.signed.targets[path];
  }

  /** Rebuild from the latest stored document of each role (and every root). */
  static load(latest: Map<string, string>, roots: string[], expiryDays: Record<KeyRole, number> = DEFAULT_EXPIRY_DAYS, pending: ReadonlyMap<string, string> = new Map()): TufRepository {
    const parse = (role: string, text: string | undefined) => {
      if (text === undefined) throw new CpansecError('NOT_FOUND', `the TUF repository has no ${role} metadata (run cpansec tuf init)`);
      return JSON.parse(text) as Record<string, never>;
    };
    const rootMds = roots.map((r) => Metadata.fromJSON(MetadataKind.Root, parse('root', r)));
    if (rootMds.length === 0) parse('root', undefined);
    const targets = Metadata.fromJSON(MetadataKind.Targets, parse('targets', latest.get('targets')));
    const delegated = new Map<string, Metadata<Targets>>();
    for (const [role, text] of latest) if (!['root', 'targets', 'snapshot', 'timestamp'].includes(role)) delegated.set(role, Metadata.fromJSON(MetadataKind.Targets, parse(role, text)));
    const repo = new TufRepository(
      rootMds,
      targets,
      delegated,
      Metadata.fromJSON(MetadataKind.Snapshot, parse('snapshot', latest.get('snapshot'))),
      Metadata.fromJSON(MetadataKind.Timestamp, parse('timestamp', latest.get('timestamp'))),
      expiryDays,
    );
    for (const [role, text] of pending) repo.pending.set(role, Metadata.fromJSON(MetadataKind.Targets, parse(role, text)));
    return repo;
  }
}

/** An author's role as delegated: their directory (and its subdirectories), terminating. */
export function authorDelegation(author: string, keyIDs: string[], threshold = 1): DelegatedRole {
  const dir = authorDirectory(author);
  return new DelegatedRole({ name: author, keyIDs, threshold, terminating: true, paths: [`${dir}/*`, `${dir}/*/*`] });
}

/** The keys some role still names (a delegation lists no key that nothing uses). */
export function usedKeys(keys: Record<string, Key>, roles: Record<string, DelegatedRole>): Record<string, Key> {
  const used = new Set(Object.values(roles).flatMap((r) => r.keyIDs));
  return Object.fromEntries(Object.entries(keys).filter(([id]) => used.has(id)));
}
