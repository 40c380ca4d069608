/**
 * The release transparency log (issue 8): appends per second, sequenced and durable, on SQLite and
 * PostgreSQL; inclusion and consistency proofs per second at 1,000,000 entries and their sizes;
 * tile requests per second through `cpansec serve`; the whole-process time of `cpansec verify`
 * with a saved proof; and SIGKILL during a burst of additions on both backends.
 * `logDurabilityRun` is also what test/provenance/durability.test.ts runs, with a smaller burst.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  appendEntries,
  consistencyProof,
  encodeEntry,
  generateKey,
  inclusionProof,
  leafHash,
  memoryHashReader,
  publishCheckpoint,
  rootOf,
  Sequencer,
  signerKeyText,
  splitNote,
  parseCheckpointText,
  verifyConsistency,
  verifyInclusion,
  type ReleaseEntry,
} from '../src/provenance/index.js';
import { SqlLogStore, Store } from '../src/store/index.js';
import type { Row } from './row.js';
import { benchDatabase } from './postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(root, 'test', 'helpers', 'cli-entry.ts');

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>;

const entry = (i: number, author = 'BENCH'): ReleaseEntry => ({ path: `${author}/Dist-${i}.tar.gz`, sha256: createHash('sha256').update(`${author}${i}`).digest('hex'), time: '2026-01-01T00:00:00Z', uploader: author });

function cli(args: string[], input = ''): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: root, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`cpansec ${args.slice(0, 2).join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

interface Serving {
  url: string;
  child: ChildProcess;
  closed: Promise<unknown>;
}

async function serve(flags: string[]): Promise<Serving> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--port', '0', '--no-workspace', ...flags], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise((resolve) => child.once('close', resolve));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cpansec serve did not start in 120 s: ${err}`)), 120_000);
    child.once('close', (code) => reject(new Error(`cpansec serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"([^"]+)"[^\n]*"cpansec serving"|"cpansec serving"[^\n]*"url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve((m[1] ?? m[2])!);
      }
    });
  });
  child.stdout!.resume();
  return { url, child, closed };
}

function storeOptions(flags: string[]): { database?: string; dataDir?: string } {
  return flags[0] === '--database' ? { database: flags[1]! } : { dataDir: flags[1]! };
}

export interface LogDurabilityOptions {
  /** --data-dir DIR or --database URL of an empty store */
  flags: string[];
  adds: number;
  concurrency: number;
  /** SIGKILL once this many additions were acknowledged */
  killAfter: number;
}

export interface LogDurabilityResult {
  sent: number;
  acknowledged: number;
  /** acknowledged additions found after the restart at their index with their hash */
  found: number;
  missing: string[];
  /** tree heads whose root is not the hash of the stored entries of their size */
  badHeads: number;
  treeHeads: number;
  /** published checkpoints whose root differs from the tree head of their size */
  badCheckpoints: number;
  checkpoints: number;
  entries: number;
  /** entries added after the restart (the log goes on) */
  resumed: boolean;
  rate: number;
}

/** One run: serve with checkpoints every 0.2 s, a burst of additions, SIGKILL, then check the store. */
export async function logDurabilityRun(o: LogDurabilityOptions): Promise<LogDurabilityResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-log-durability-'));
  try {
    const key = generateKey('bench.cpansec.example/log');
    writeFileSync(path.join(dir, 'log.key'), `${signerKeyText(key)}\n`, { mode: 0o600 });
    const token = cli(['log', 'token', 'create', '--uploader', 'BURST', '--name', 'durability', ...o.flags]).trim();
    const server = await serve(['--log-key', path.join(dir, 'log.key'), '--checkpoint-interval', '0.2', ...o.flags]);
    const acknowledged: { path: string; sha256: string; index: number }[] = [];
    let next = 0;
    let killed = false;
    const started = performance.now();
    let killedAt = started;
    const worker = async () => {
      while (!killed && next < o.adds) {
        const e = entry(next++, 'BURST');
        try {
          const r = await fetch(`${server.url}/log/add`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ path: e.path, sha256: e.sha256 }) });
          const body = (await r.json()) as { index: number };
          if (r.status === 201) {
            acknowledged.push({ path: e.path, sha256: e.sha256, index: body.index });
            if (!killed && acknowledged.length >= o.killAfter) {
              killed = true;
              killedAt = performance.now();
              server.child.kill('SIGKILL');
            }
          }
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    await server.closed;
    const rate = acknowledged.length / ((killedAt - started) / 1000);

    const store = await Store.open(storeOptions(o.flags));
    try {
      const log = new SqlLogStore(store.db, store.dialect);
      const head = await log.treeHead();
      const data = await log.readEntries(0, head.size + 10);
      const byPath = new Map<string, { index: number; sha256: string }>();
      data.forEach((d, i) => {
        const m = /^path (\S+)\nsha256 (\S+)\n/.exec(d.toString('utf8'))!;
        byPath.set(m[1]!, { index: i, sha256: m[2]! });
      });
      const missing = acknowledged.filter((a) => byPath.get(a.path)?.index !== a.index || byPath.get(a.path)?.sha256 !== a.sha256).map((a) => a.path);
      // every tree head recorded, of every size, is the hash of the entries of that size
      const leaves = data.map(leafHash);
      const heads = (await store.db.selectFrom('provenance_tree_heads' as never).select(['size', 'root'] as never).execute()) as unknown as { size: number; root: string }[];
      let badHeads = 0;
      for (const h of heads) if (rootOf(leaves.slice(0, Number(h.size))).toString('hex') !== h.root) badHeads++;
      // the empty tree has no stored head: its root is SHA-256 of nothing
      const headOf = new Map([[0, rootOf([]).toString('hex')], ...heads.map((h): [number, string] => [Number(h.size), h.root])]);
      const cps = (await store.db.selectFrom('provenance_checkpoints' as never).select(['note'] as never).execute()) as unknown as { note: string }[];
      let badCheckpoints = 0;
      for (const c of cps) {
        const cp = parseCheckpointText(splitNote(c.note).text);
        if (headOf.get(cp.size) !== cp.root.toString('hex')) badCheckpoints++;
      }
      const leafOk = (await log.readTile(0, 0, Math.min(head.size, 256))).equals(Buffer.concat(leaves.slice(0, Math.min(head.size, 256))));
      if (!leafOk) badHeads++;
      // the log goes on after the crash
      const r = await log.transaction((tx) => appendEntries(tx, [entry(0, 'AFTER')], new Date()));
      const resumed = r.outcomes[0]!.status === 'added' && r.head.size === head.size + 1 && r.head.root.equals(rootOf([...leaves, leafHash(encodeEntry(entry(0, 'AFTER')))]));
      return { sent: next, acknowledged: acknowledged.length, found: acknowledged.length - missing.length, missing, badHeads, treeHeads: heads.length, badCheckpoints, checkpoints: cps.length, entries: head.size, resumed, rate };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Additions through the sequencer: all queued at once, committed in batches. */
async function appendRate(options: { database?: string; dataDir?: string }, n: number): Promise<number> {
  const store = await Store.open(options);
  try {
    const seq = new Sequencer(new SqlLogStore(store.db, store.dialect), () => new Date(), 4096);
    await seq.add(entry(-1));
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => seq.add(entry(i))));
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await store.close();
  }
}

function perSecond(fn: () => Promise<void>, seconds = 2): Promise<number> {
  return (async () => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < seconds * 1000) {
      await fn();
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  })();
}

async function proofRows(): Promise<Row[]> {
  const N = 1_000_000;
  const leaves: Buffer[] = new Array(N);
  for (let i = 0; i < N; i++) leaves[i] = leafHash(Buffer.from(`entry ${i}`));
  const read = memoryHashReader(leaves);
  const rootN = await (await import('../src/provenance/index.js')).treeHash(read, N);
  const rnd = (k: number) => Math.floor(Math.random() * k);
  let incSize = 0;
  let incCount = 0;
  const inc = await perSecond(async () => {
    const i = rnd(N);
    const p = await inclusionProof(read, i, N);
    incSize += p.length * 32;
    incCount++;
    if (!verifyInclusion(leaves[i]!, i, N, p, rootN)) throw new Error('inclusion proof did not verify');
  });
  const old = 700_001;
  const rootOld = await (await import('../src/provenance/index.js')).treeHash(read, old);
  let conSize = 0;
  let conCount = 0;
  const con = await perSecond(async () => {
    const p = await consistencyProof(read, old, N);
    conSize += p.length * 32;
    conCount++;
    if (!verifyConsistency(old, N, rootOld, rootN, p)) throw new Error('consistency proof did not verify');
  });
  return [
    { name: 'inclusion proofs (make + verify) per second, 1,000,000 entries', value: inc, unit: 'proofs/s' },
    { name: 'inclusion proof size, 1,000,000 entries', value: incSize / incCount, unit: 'bytes' },
    { name: 'consistency proofs (make + verify) per second, 700,001 -> 1,000,000', value: con, unit: 'proofs/s' },
    { name: 'consistency proof size, 700,001 -> 1,000,000', value: conSize / conCount, unit: 'bytes' },
  ];
}

/** A served log of 70,000 entries: tile requests per second, and `cpansec verify` with a saved proof. */
async function serveRows(): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-'));
  try {
    const key = generateKey('bench.cpansec.example/log');
    writeFileSync(path.join(dir, 'log.key'), `${signerKeyText(key)}\n`, { mode: 0o600 });
    const tarball = path.join(dir, 'Bench-Dist-1.00.tar.gz');
    writeFileSync(tarball, randomBytes(100_000));
    const sha = createHash('sha256').update(await import('node:fs').then((fs) => fs.readFileSync(tarball))).digest('hex');
    const store = await Store.open({ dataDir: path.join(dir, 'db') });
    try {
      const log = new SqlLogStore(store.db, store.dialect);
      for (let i = 0; i < 70_000; i += 5000) await log.transaction((tx) => appendEntries(tx, Array.from({ length: 5000 }, (_, k) => entry(i + k)), new Date()));
      await log.transaction((tx) => appendEntries(tx, [{ path: 'BENCH/Bench-Dist-1.00.tar.gz', sha256: sha, time: '2026-01-01T00:00:00Z', uploader: 'BENCH' }], new Date()));
      await publishCheckpoint(log, { signer: key, witnesses: [], post: async () => ({ status: 500, body: '', contentType: '' }), now: () => new Date() });
    } finally {
      await store.close();
    }
    const flags = ['--data-dir', path.join(dir, 'db')];
    cli(['log', 'prove-inclusion', 'BENCH/Bench-Dist-1.00.tar.gz', '-o', path.join(dir, 'proof'), ...flags]);
    const server = await serve(['--checkpoint-interval', '0', ...flags]);
    let tiles: AutocannonResult;
    try {
      const requests = ['/tile/0/000', '/tile/0/100', '/tile/1/000', '/tile/entries/100', '/tile/0/273.p/113', '/checkpoint'].map((p) => ({ method: 'GET', path: p }));
      await autocannon({ url: server.url, requests, connections: 16, duration: 2 });
      tiles = await autocannon({ url: server.url, requests, connections: 16, duration: Number(process.env.CPANSEC_BENCH_SECONDS ?? 8) });
    } finally {
      server.child.kill('SIGTERM');
      await server.closed;
    }
    // the installed command: the bundle in dist/ (npm run build), as a user runs it
    const bin = path.join(root, 'bin', 'cpansec.js');
    const times: number[] = [];
    const vkey = key.text;
    for (let i = 0; i < 7 && existsSync(path.join(root, 'dist', 'cpansec.js')); i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [bin, 'verify', tarball, '--proof', path.join(dir, 'proof'), '--key', vkey], { encoding: 'utf8' });
      times.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`cpansec verify failed: ${r.stdout}${r.stderr}`);
    }
    times.sort((a, b) => a - b);
    return [
      { name: 'tile requests per second through cpansec serve (SQLite, 70,001 entries, 16 connections)', value: tiles.requests.average, unit: 'req/s' },
      { name: 'tile request p99 latency', value: tiles.latency.p99, unit: 'ms' },
      { name: 'tile requests not 200', value: tiles.non2xx, unit: 'requests', target: '0' },
      { name: 'cpansec verify with a saved proof, whole process (median of 7, dist bundle)', value: times.length ? times[Math.floor(times.length / 2)]! : NaN, unit: 'ms' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function durabilityRows(backend: string, r: LogDurabilityResult): Row[] {
  return [
    { name: `${backend}: additions acknowledged before SIGKILL`, value: r.acknowledged, unit: 'entries' },
    { name: `${backend}: acknowledged additions lost after SIGKILL`, value: r.missing.length, unit: 'entries', target: '0' },
    { name: `${backend}: tree heads not matching their entries (of ${r.treeHeads})`, value: r.badHeads, unit: 'heads', target: '0' },
    { name: `${backend}: checkpoints not matching their tree head (of ${r.checkpoints})`, value: r.badCheckpoints, unit: 'checkpoints', target: '0' },
    { name: `${backend}: the log goes on after the restart`, value: r.resumed ? 1 : 0, unit: 'yes=1', target: '1' },
    { name: `${backend}: acknowledged additions per second over HTTP (32 clients)`, value: r.rate, unit: 'entries/s' },
  ];
}

export async function benchProvenanceLog(): Promise<Row[]> {
  const out: Row[] = [];
  const n = Number(process.env.CPANSEC_BENCH_APPENDS ?? 20_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-append-'));
  try {
    out.push({ name: `appends per second, sequenced and durable (SQLite, ${n} in batches of up to 4,096)`, value: await appendRate({ dataDir: dir }, n), unit: 'entries/s', target: '10,000' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pgdb = await benchDatabase('tlog_append');
  try {
    out.push({ name: `appends per second, sequenced and durable (PostgreSQL, ${n} in batches of up to 4,096)`, value: await appendRate({ database: pgdb.url }, n), unit: 'entries/s', target: '10,000' });
  } finally {
    await pgdb.drop();
  }
  out.push(...(await proofRows()));
  out.push(...(await serveRows()));
  const options = { adds: 3000, concurrency: 32, killAfter: 1200 };
  const d = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-kill-'));
  try {
    out.push(...durabilityRows('SQLite', await logDurabilityRun({ ...options, flags: ['--data-dir', d] })));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
  const kdb = await benchDatabase('tlog_kill');
  try {
    out.push(...durabilityRows('PostgreSQL', await logDurabilityRun({ ...options, flags: ['--database', kdb.url] })));
  } finally {
    await kdb.drop();
  }
  return out;
}
