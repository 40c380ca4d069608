/**
 * The release transparency log (issue 8): appends per second, sequenced and durable, on SQLite and
 * PostgreSQL (all queued at once, and from 64 writers each awaiting its acknowledgement); additions
 * per second through `cpansec serve` (one release a request, and 1,000 a batch request); inclusion
 * and consistency proofs per second at 1,000,000 entries and their sizes; tile requests per second
 * through `cpansec serve`; the whole-process time of `cpansec verify` with a saved proof beside
 * node's own start-up; and SIGKILL during a burst of additions on both backends. The machine is
 * shared: rates are medians of several runs and the load average is printed with them.
 * `logDurabilityRun` is also what test/provenance/durability.test.ts runs, with a smaller burst.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
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
import { SqlLogStore, Store, UploaderTokens } from '../src/store/index.js';
import type { Row } from './row.js';
import { benchDatabase } from './postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(root, 'test', 'helpers', 'cli-entry.ts');

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const RUNS = Number(process.env.CPANSEC_BENCH_RUNS ?? 3);

/** Load average over the last minute, the machine being shared. */
const load = (): Row => ({ name: `load average (1 min) at this point, ${cpus().length} cores`, value: Number(loadavg()[0]!.toFixed(2)), unit: '' });

/**
 * Additions through the sequencer into a fresh store. `writers` 0: all queued at once, committed
 * in batches of up to 4,096; else that many writers, each adding its next entry once the last is
 * acknowledged (what a server sees: the batch is whatever arrived meanwhile).
 */
async function appendRate(options: { database?: string; dataDir?: string }, n: number, writers = 0): Promise<number> {
  const store = await Store.open(options);
  try {
    const seq = new Sequencer(new SqlLogStore(store.db, store.dialect), () => new Date(), 4096);
    await seq.add(entry(-1));
    // made beforehand: hashing the bench's own made-up releases is not the log's work
    const entries = Array.from({ length: n }, (_, i) => entry(i));
    const t0 = performance.now();
    if (writers === 0) await Promise.all(entries.map((e) => seq.add(e)));
    else {
      let next = 0;
      await Promise.all(Array.from({ length: writers }, async () => {
        while (next < n) await seq.add(entries[next++]!);
      }));
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await store.close();
  }
}

/** Median of RUNS appendRate runs, each on a store of its own. */
async function appendRows(backend: 'SQLite' | 'PostgreSQL', n: number): Promise<Row[]> {
  const rates: Record<'queued' | 'writers', number[]> = { queued: [], writers: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ['queued', 'writers'] as const) {
      const count = mode === 'queued' ? n : Math.min(n, 10_000);
      if (backend === 'SQLite') {
        const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-append-'));
        try {
          rates[mode].push(await appendRate({ dataDir: dir }, count, mode === 'queued' ? 0 : 64));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        const db = await benchDatabase(`tlog_append_${run}_${mode}`);
        try {
          rates[mode].push(await appendRate({ database: db.url }, count, mode === 'queued' ? 0 : 64));
        } finally {
          await db.drop();
        }
      }
    }
  }
  const runs = (xs: number[]) => `median of ${xs.length}: ${xs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ')}`;
  return [
    { name: `appends/s, sequenced and durable (${backend}, ${n.toLocaleString('en-US')} queued at once, batches of up to 4,096; ${runs(rates.queued)})`, value: median(rates.queued), unit: 'entries/s', target: '10,000' },
    { name: `appends/s, sequenced and durable (${backend}, 64 writers each awaiting its acknowledgement; ${runs(rates.writers)})`, value: median(rates.writers), unit: 'entries/s' },
  ];
}

/** Additions through `cpansec serve` with an uploader token: one release a request, then 1,000 a batch request. */
async function httpAddRows(backend: 'SQLite' | 'PostgreSQL', flags: string[]): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-http-'));
  const seconds = Number(process.env.CPANSEC_BENCH_SECONDS ?? 8);
  try {
    const key = generateKey('bench.cpansec.example/log');
    writeFileSync(path.join(dir, 'log.key'), `${signerKeyText(key)}\n`, { mode: 0o600 });
    const store = await Store.open(storeOptions(flags));
    let token: string;
    try {
      token = await new UploaderTokens(store.db).create('HTTP', 'bench', new Date());
    } finally {
      await store.close();
    }
    // as deployed: publishing a signed checkpoint every second while the additions come in
    const server = await serve(['--log-key', path.join(dir, 'log.key'), '--checkpoint-interval', '1', ...flags]);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    let next = 0;
    const body = () => {
      const e = entry(next++, 'HTTP');
      return { path: e.path, sha256: e.sha256 };
    };
    const single: number[] = [];
    const batched: number[] = [];
    const singleAdds = (duration: number) => autocannon({ url: server.url, connections: 32, duration, requests: [{ method: 'POST', path: '/log/add', headers, setupRequest: (r: Record<string, unknown>) => ({ ...r, body: JSON.stringify(body()) }) }] });
    try {
      // the server warms its published pages when it starts: not part of what is measured
      await singleAdds(2);
      for (let run = 0; run < RUNS; run++) {
        const a = await singleAdds(seconds);
        if (a.non2xx || a.errors) throw new Error(`single additions: ${a.non2xx} non-2xx answers, ${a.errors} errors`);
        single.push(a.requests.average);
        const b = await autocannon({ url: server.url, connections: 4, duration: seconds, requests: [{ method: 'POST', path: '/log/add-batch', headers, setupRequest: (r: Record<string, unknown>) => ({ ...r, body: JSON.stringify({ entries: Array.from({ length: 1000 }, body) }) }) }] });
        if (b.non2xx || b.errors) throw new Error(`batch additions: ${b.non2xx} non-2xx answers, ${b.errors} errors`);
        batched.push(b.requests.average * 1000);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.closed;
    }
    const runs = (xs: number[]) => `median of ${xs.length}: ${xs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ')}`;
    return [
      { name: `HTTP additions/s through cpansec serve, one release a request (${backend}, 32 connections; ${runs(single)})`, value: median(single), unit: 'entries/s' },
      { name: `HTTP additions/s through cpansec serve, POST /log/add-batch of 1,000 (${backend}, 4 connections; ${runs(batched)})`, value: median(batched), unit: 'entries/s' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
    const nodeTimes: number[] = [];
    for (let i = 0; i < 11 && existsSync(path.join(root, 'dist', 'cpansec.js')); i++) {
      let t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      nodeTimes.push(performance.now() - t0);
      t0 = performance.now();
      const r = spawnSync(process.execPath, [bin, 'verify', tarball, '--proof', path.join(dir, 'proof'), '--key', vkey], { encoding: 'utf8' });
      times.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`cpansec verify failed: ${r.stdout}${r.stderr}`);
    }
    return [
      { name: 'tile requests per second through cpansec serve (SQLite, 70,001 entries, 16 connections)', value: tiles.requests.average, unit: 'req/s' },
      { name: 'tile request p99 latency', value: tiles.latency.p99, unit: 'ms' },
      { name: 'tile requests not 200', value: tiles.non2xx, unit: 'requests', target: '0' },
      { name: 'cpansec verify with a saved proof, whole process (median of 11, dist bundle)', value: times.length ? median(times) : NaN, unit: 'ms' },
      { name: "node's own start-up, whole process (node -e 0, median of 11, same moments)", value: nodeTimes.length ? median(nodeTimes) : NaN, unit: 'ms' },
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
    { name: `${backend}: acknowledged additions per second over HTTP (32 fetch clients from the server's start, its warm-up included, until the kill)`, value: r.rate, unit: 'entries/s' },
  ];
}

export async function benchProvenanceLog(): Promise<Row[]> {
  const out: Row[] = [load()];
  const n = Number(process.env.CPANSEC_BENCH_APPENDS ?? 20_000);
  out.push(...(await appendRows('SQLite', n)));
  out.push(...(await appendRows('PostgreSQL', n)));
  out.push(load());
  const hd = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tlog-http-db-'));
  try {
    out.push(...(await httpAddRows('SQLite', ['--data-dir', hd])));
  } finally {
    rmSync(hd, { recursive: true, force: true });
  }
  const hdb = await benchDatabase('tlog_http');
  try {
    out.push(...(await httpAddRows('PostgreSQL', ['--database', hdb.url])));
  } finally {
    await hdb.drop();
  }
  out.push(load());
  out.push(...(await proofRows()));
  out.push(...(await serveRows()));
  out.push(load());
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
