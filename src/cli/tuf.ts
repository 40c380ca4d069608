/**
 * `cpansec tuf init|add|rotate|refresh|export`: the mirror's TUF repository in the server's store.
 * Role keys live in a directory (--keys DIR: root.pem, targets.pem, snapshot.pem, timestamp.pem,
 * delegation.pem, each 0600); keep root and targets offline, give the server only the online ones
 * (timestamp, snapshot, delegation). `init` also writes DIR/root.json, the root clients start from.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import type { Run } from './main.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';

type Tuf = typeof import('../provenance/tuf/index.js');
type KeyRole = import('../provenance/tuf/index.js').KeyRole;
const ROLES: KeyRole[] = ['root', 'targets', 'snapshot', 'timestamp', 'delegation'];
const MAX_RELEASE_BYTES = 256 * 1024 * 1024;

interface TufFlags extends StoreFlags {
  keys?: string;
}

async function withTuf<T>(flags: StoreFlags, fn: (tuf: import('../store/index.js').SqlTufStore, t: Tuf, store: import('../store/index.js').Store) => Promise<T>): Promise<T> {
  const { Store, SqlTufStore } = await import('../store/index.js');
  const t = await import('../provenance/tuf/index.js');
  const store = await Store.open(storeLocation(flags));
  try {
    return await fn(new SqlTufStore(store.db, store.dialect), t, store);
  } finally {
    await store.close();
  }
}

function keysDir(flags: TufFlags): string {
  if (!flags.keys) throw new CpansecError('USAGE', '--keys DIR is needed (the directory of the role keys)');
  return flags.keys;
}

/** The signers found in the keys directory (a role whose file is missing is left out). */
function loadSigners(t: Tuf, dir: string): import('../provenance/tuf/index.js').TufSigners {
  const out: import('../provenance/tuf/index.js').TufSigners = {};
  for (const role of ROLES) {
    const file = path.join(dir, `${role}.pem`);
    if (existsSync(file)) out[role] = [t.signerFromPem(readInputBytes(file, 64 * 1024).toString('utf8'), file)];
  }
  return out;
}

function writeKey(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
}

async function loadRepo(tuf: import('../store/index.js').SqlTufStore, t: Tuf) {
  const { latest, roots, pending } = await tuf.latest();
  return t.TufRepository.load(latest, roots, t.DEFAULT_EXPIRY_DAYS, pending);
}

/** Write the repository as static files: metadata/ and targets/ as the server serves them. */
async function exportTree(tuf: import('../store/index.js').SqlTufStore, out: string): Promise<number> {
  const target = path.resolve(out);
  if (existsSync(target)) throw new CpansecError('IO_ERROR', 'exists already; give a new directory', { file: out });
  const tmp = mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.tmp-`));
  try {
    const docs = await tuf.allDocuments();
    mkdirSync(path.join(tmp, 'metadata'));
    const latest = new Map<string, string>();
    for (const d of docs) {
      if (d.role !== 'timestamp') writeFileSync(path.join(tmp, 'metadata', `${d.version}.${d.role}.json`), d.json);
      latest.set(d.role, d.json);
    }
    for (const [role, json] of latest) writeFileSync(path.join(tmp, 'metadata', `${role}.json`), json);
    let n = 0;
    for (const p of await tuf.targetPaths()) {
      const t = (await tuf.target(p))!;
      const file = path.join(tmp, 'targets', path.posix.dirname(p), `${t.sha256}.${path.posix.basename(p)}`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, t.bytes);
      n++;
    }
    renameSync(tmp, target);
    process.stderr.write(`exported ${docs.length} metadata documents and ${n} targets to ${out}\n`);
    return 0;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot write: ${(e as Error).message}`, { file: out });
  }
}

const MAX_ROLE_RESPONSE = 64 * 1024 * 1024;

async function httpJson(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot reach the server: ${(e as Error).message}`, { file: url });
  }
  const text = await res.text();
  if (text.length > MAX_ROLE_RESPONSE) throw new CpansecError('IO_ERROR', `answer larger than ${MAX_ROLE_RESPONSE} bytes`, { file: url });
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new CpansecError('PARSE_ERROR', `the server answered HTTP ${res.status} with something that is not JSON`, { file: url });
  }
}

type RoleTargets = Record<string, { length?: number; hashes?: { sha256?: string } }>;

/** `tuf sign-author`: read the pending version, show it, check --expect, sign, publish. */
async function signAuthor(author: string, flags: TufFlags & { key: string; server?: string; expect?: string[] }): Promise<number> {
  const a = await import('../provenance/attestation/index.js');
  const t = await import('../provenance/tuf/index.js');
  if (!a.PAUSE_ID.test(author)) throw new CpansecError('USAGE', `'${author}' is not a PAUSE id`);
  const key = a.readSigningKey(readInputBytes(flags.key, 64 * 1024).toString('utf8'), flags.key);
  const base = flags.server?.replace(/\/+$/, '');
  let pending: { signed: Record<string, unknown>; served?: Record<string, unknown> } | undefined;
  if (base) {
    const r = await httpJson(`${base}/v1/tuf/authors/${author}/pending`);
    if (r.status === 404) throw new CpansecError('NOT_FOUND', `nothing awaits ${author}'s signature`, { file: base });
    if (r.status !== 200 || typeof r.body.signed !== 'object') throw new CpansecError('IO_ERROR', `HTTP ${r.status}: ${String(r.body.message ?? '')}`, { file: base });
    pending = r.body as typeof pending;
  } else {
    const { pendingForAuthor } = await import('../server/index.js');
    pending = await withTuf(flags, (_tuf, _t, store) => pendingForAuthor(store, author));
    if (!pending) throw new CpansecError('NOT_FOUND', `nothing awaits ${author}'s signature`);
  }
  const signed = pending!.signed;
  if (signed._type !== 'targets' || typeof signed.targets !== 'object' || signed.targets === null) throw new CpansecError('PARSE_ERROR', 'the pending role is not TUF targets metadata');
  const listed = signed.targets as RoleTargets;
  const served = (pending!.served?.targets ?? {}) as RoleTargets;
  for (const p of Object.keys(listed)) {
    if (t.authorOfTarget(p) !== author) throw new CpansecError('INTEGRITY_ERROR', `the role to sign lists ${p}, which is not in ${author}'s directory: not signed`);
  }
  // what the author is about to vouch for, and what they asked to find there
  for (const [p, f] of Object.entries(listed)) process.stdout.write(`${served[p] ? ' ' : '+'} ${p} sha256:${f.hashes?.sha256 ?? '?'} (${f.length ?? '?'} bytes)\n`);
  for (const p of Object.keys(served)) if (!listed[p]) process.stdout.write(`- ${p}\n`);
  for (const file of flags.expect ?? []) {
    const bytes = readInputBytes(file, MAX_RELEASE_BYTES);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const name = path.basename(file);
    const hit = Object.entries(listed).find(([p]) => path.posix.basename(p) === name);
    if (!hit || hit[1].hashes?.sha256 !== sha || hit[1].length !== bytes.length) {
      process.stderr.write(`cpansec: not signed: the role does not list ${name} with this file's SHA-256 ${sha} and length ${bytes.length}${hit ? ` (it lists sha256:${hit[1].hashes?.sha256 ?? '?'}, ${hit[1].length ?? '?'} bytes)` : ''}\n`);
      return 1;
    }
  }
  const signature = t.authorSignature(signed, key.privateKey, key.publicKey);
  let done: { version: number; targets: number };
  if (base) {
    const r = await httpJson(`${base}/v1/tuf/authors/${author}/signature`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signatures: [signature] }) });
    if (r.status !== 201) {
      process.stderr.write(`cpansec: refused by the server: ${String(r.body.message ?? `HTTP ${r.status}`)}\n`);
      return 1;
    }
    done = r.body as unknown as typeof done;
  } else {
    const { publishAuthorRole } = await import('../server/index.js');
    const dir = keysDir(flags);
    done = await withTuf(flags, (_tuf, tt, store) => publishAuthorRole(store, loadSigners(tt, dir), author, [signature], new Date()));
  }
  process.stdout.write(`signed version ${done.version} of ${author}'s role (${done.targets} releases) with key ${signature.keyid}: published\n`);
  return 0;
}

export function register(program: Command, run: Run): void {
  const tuf = program.command('tuf').description("the mirror's TUF repository: init, add releases, rotate keys, refresh, export");

  storeOptions(tuf.command('init').description('create the repository and its role keys'))
    .requiredOption('--keys <dir>', 'where to write the role keys (a new or empty directory)')
    .option('--bins <bits>', 'hashed bins (2^bits delegated roles) instead of one role per PAUSE author; for a mirror of many authors')
    .action(async (flags: TufFlags & { bins?: string }) => {
      await run(async () => {
        const bits = flags.bins === undefined ? undefined : Number(flags.bins);
        if (bits !== undefined && !(Number.isInteger(bits) && bits >= 1 && bits <= 14)) throw new CpansecError('USAGE', `--bins takes 1 to 14 (bits): ${flags.bins}`);
        const dir = keysDir(flags);
        return withTuf(flags, async (store, t) => {
          if (!(await store.isEmpty())) throw new CpansecError('CONFLICT', 'the store holds a TUF repository already (rotate its keys instead)');
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          for (const r of ROLES) if (existsSync(path.join(dir, `${r}.pem`))) throw new CpansecError('IO_ERROR', `${r}.pem exists already; give a new directory`, { file: dir });
          const made = Object.fromEntries(ROLES.map((r) => [r, t.newSigner()])) as Record<KeyRole, ReturnType<Tuf['newSigner']>>;
          const signers = Object.fromEntries(ROLES.map((r) => [r, [made[r].signer]])) as Required<import('../provenance/tuf/index.js').TufSigners>;
          const repo = t.TufRepository.init(signers, new Date(), bits !== undefined ? { binBits: bits } : {});
          const docs = repo.drain();
          for (const r of ROLES) writeKey(path.join(dir, `${r}.pem`), made[r].pem);
          writeFileSync(path.join(dir, 'root.json'), docs[0]!.json);
          await store.save(docs);
          process.stdout.write(`TUF repository created: ${docs.length} metadata documents; keys in ${dir}; clients start from ${path.join(dir, 'root.json')}\n`);
          return 0;
        });
      });
    });

  storeOptions(tuf.command('add').description('add release files as targets, signed by their delegated role'))
    .argument('<files...>', 'release tarballs')
    .requiredOption('--keys <dir>', 'the role keys (delegation, snapshot, timestamp; targets for a new author)')
    .option('--author <PAUSEID>', 'the PAUSE author: the target is authors/id/X/XY/PAUSEID/FILE')
    .option('--path <target>', 'the target path itself (one file)')
    .action(async (files: string[], flags: TufFlags & { author?: string; path?: string }) => {
      await run(async () => {
        if (!flags.author && !flags.path) throw new CpansecError('USAGE', 'give --author PAUSEID (or --path authors/id/…)');
        if (flags.path && files.length !== 1) throw new CpansecError('USAGE', '--path names one file');
        return withTuf(flags, async (store, t, db) => {
          const entries = files.map((f) => {
            const bytes = readInputBytes(f, MAX_RELEASE_BYTES);
            const p = flags.path ?? t.targetPath(flags.author!, path.basename(f));
            t.authorOfTarget(p);
            return { path: p, length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), sha512: createHash('sha512').update(bytes).digest('hex'), bytes };
          });
          const repo = await loadRepo(store, t);
          // an author with registered keys signs their own role (cpansec tuf sign-author)
          const { registeredAuthorKeys } = await import('../server/index.js');
          const authorKeys = await registeredAuthorKeys(db, entries.map((e) => t.authorOfTarget(e.path)));
          repo.addTargets(entries, loadSigners(t, keysDir(flags)), new Date(), authorKeys);
          await store.save(repo.drain(), entries, new Date(), repo.drainPending());
          for (const e of entries) {
            const author = t.authorOfTarget(e.path);
            process.stdout.write(`${e.path} sha256:${e.sha256} (${authorKeys.has(author) ? `role ${author}, awaiting ${author}'s signature: cpansec tuf sign-author ${author}` : `role ${repo.roleFor(e.path)}`})\n`);
          }
          return 0;
        });
      });
    });

  storeOptions(tuf.command('rotate').description("replace a role's key (a new root version signed by the old root keys, and the new ones for root)"))
    .argument('<role>', ROLES.join(' | '))
    .requiredOption('--keys <dir>', 'the role keys; the new key replaces ROLE.pem, the old one is kept as ROLE.KEYID.retired.pem')
    .action(async (role: string, flags: TufFlags) => {
      await run(async () => {
        if (!ROLES.includes(role as KeyRole)) throw new CpansecError('USAGE', `the role is one of ${ROLES.join(', ')}: ${role}`);
        const dir = keysDir(flags);
        return withTuf(flags, async (store, t) => {
          const signers = loadSigners(t, dir);
          const repo = await loadRepo(store, t);
          const fresh = t.newSigner();
          const tmp = path.join(dir, `.${role}.new.pem`);
          writeKey(tmp, fresh.pem);
          try {
            repo.rotate(role as KeyRole, [fresh.signer], signers, new Date());
            await store.save(repo.drain(), [], new Date(), repo.drainPending());
          } catch (e) {
            rmSync(tmp, { force: true });
            throw e;
          }
          const old = signers[role as KeyRole]?.[0];
          if (old) renameSync(path.join(dir, `${role}.pem`), path.join(dir, `${role}.${old.key.keyID.slice(0, 16)}.retired.pem`));
          renameSync(tmp, path.join(dir, `${role}.pem`));
          process.stdout.write(`${role} key rotated to ${fresh.signer.key.keyID}; root is at version ${repo.root.signed.version}\n`);
          return 0;
        });
      });
    });

  storeOptions(tuf.command('refresh').description('re-sign the timestamp (and snapshot) before they expire'))
    .requiredOption('--keys <dir>', 'the online keys (timestamp.pem, snapshot.pem)')
    .option('--force', 'sign a new timestamp even when the current one is far from expiry')
    .action(async (flags: TufFlags & { force?: boolean }) => {
      await run(async () => {
        const { refreshTuf } = await import('../server/index.js');
        return withTuf(flags, async (store) => {
          const r = await refreshTuf(store, keysDir(flags), new Date(), flags.force === true);
          process.stdout.write(r.timestamp ? `new timestamp${r.snapshot ? ' and snapshot' : ''} signed\n` : 'the timestamp is still fresh; nothing signed\n');
          return 0;
        });
      });
    });

  storeOptions(tuf.command('sync-authors').description("point the delegations to authors' own roles at their registered keys (after keys add, rotate or revoke)"))
    .argument('[pauseids...]', 'the authors (default: every author with registered keys)')
    .requiredOption('--keys <dir>', 'the role keys: delegation, snapshot, timestamp (and targets for per-author delegations)')
    .action(async (authors: string[], flags: TufFlags) => {
      await run(async () => {
        const { registeredAuthors, syncAuthorKeys } = await import('../server/index.js');
        return withTuf(flags, async (_tuf, t, store) => {
          const names = authors.length ? authors.map((a) => a.toUpperCase()) : await registeredAuthors(store);
          const done = await syncAuthorKeys(store, loadSigners(t, keysDir(flags)), names, new Date());
          for (const a of names) {
            const u = done.get(a);
            if (!u) process.stdout.write(`${a}: no registered keys; signed by the server\n`);
            else process.stdout.write(`${a}: ${u.changed.length ? `delegation moved to ${u.keyIds.length ? u.keyIds.map((id) => `${id.slice(0, 16)}…`).join(', ') : 'no key (all revoked)'} in ${u.changed.join(', ')}` : 'delegation unchanged'}${u.awaitingSignature ? `; awaiting ${a}'s signature (cpansec tuf sign-author ${a})` : ''}\n`);
          }
          return 0;
        });
      });
    });

  storeOptions(tuf.command('sign-author').description('as an author, sign the version of your own role that awaits your signature'))
    .argument('<pauseid>', 'your PAUSE id')
    .requiredOption('-k, --key <file>', 'your Ed25519 private key (registered with cpansec keys)')
    .option('--server <url>', 'the cpansec server (else the local store, with --keys)')
    .option('--keys <dir>', 'local store: the online role keys (delegation, snapshot, timestamp)')
    .option('--expect <file>', 'a release that the role must list with its SHA-256 and length; repeat for more', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (pauseid: string, flags: TufFlags & { key: string; server?: string; expect?: string[] }) => {
      await run(() => signAuthor(pauseid.toUpperCase(), flags));
    });

  storeOptions(tuf.command('export').description('write the repository as static files (metadata/, targets/) for a plain web server'))
    .argument('<dir>', 'a new directory')
    .action(async (dir: string, flags: StoreFlags) => {
      await run(() => withTuf(flags, (store) => exportTree(store, dir)));
    });
}
