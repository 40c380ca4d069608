/**
 * Figures of the server (issue 3): `cpansec serve` in a child process on loopback, on SQLite and
 * on PostgreSQL, loaded with autocannon: `POST /v1/query` for one package (requests/s, p99), a
 * `querybatch` of 1,000 queries (time), first start on an empty store, and the first render of
 * every site page through HTTP. The server logs as in production (JSON, level info) to a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { parseVersion } from '../src/perl/index.js';
import { advisoryPath, distributionPath, SiteData } from '../src/publish/site/index.js';
import type { Row } from './row.js';
import { benchSite } from './site.js';
import { benchDatabase } from './postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_S = Number(process.env.CPANSEC_BENCH_SECONDS ?? 10);

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (o: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; its programmatic API is one function
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cpansec serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('cpansec serve did not become healthy');
}

interface Backend {
  name: string;
  flags: string[];
  cleanup(): Promise<void>;
}

async function sqlite(): Promise<Backend> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-api-'));
  return { name: 'SQLite', flags: ['--data-dir', dir], cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgres(): Promise<Backend> {
  const db = await benchDatabase('api');
  return { name: 'PostgreSQL', flags: ['--database', db.url], cleanup: db.drop };
}

/** 1,000 (distribution, released version) queries across the database, as a lockfile scan sends. */
function batchQueries(): unknown[] {
  const index = new VulnerabilityIndex(loadBundledDatabase());
  const points: unknown[] = [];
  for (const d of index.distributionNames()) {
    for (const r of index.releasesOf(d)) {
      try {
        parseVersion(r.version);
      } catch {
        continue;
      }
      points.push({ package: { name: d, ecosystem: 'CPAN' }, version: r.version });
    }
  }
  const step = Math.floor(points.length / 1000);
  return Array.from({ length: 1000 }, (_, i) => points[i * step]);
}

async function sitePaths(): Promise<string[]> {
  const data = new SiteData(new VulnerabilityIndex(loadBundledDatabase()), { title: '', baseUrl: '', revision: 0, updated: '' });
  return ['/', '/advisories', '/distributions', '/stats', ...data.distributions.map((d) => distributionPath(d.name)), ...data.groups.map((g) => advisoryPath(g.id))];
}

/** Run `fn` against `cpansec serve` on the backend; the server is stopped and every temporary file removed, whatever happens. */
async function withServer<T>(backend: Backend, fn: (url: string, child: ChildProcess, spawnedAt: number) => Promise<T>): Promise<T> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-log-'));
  try {
    const port = await freePort();
    const log = openSync(path.join(logDir, 'serve.log'), 'w');
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'helpers', 'cli-entry.ts'), 'serve', '--port', String(port), ...backend.flags], {
      cwd: root,
      stdio: ['ignore', log, log],
    });
    // listened for from the start: a server that died early has closed before anyone waits
    const closed = new Promise((resolve) => child.once('close', resolve));
    try {
      return await fn(`http://127.0.0.1:${port}`, child, spawnedAt);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
      closeSync(log);
    }
  } finally {
    rmSync(logDir, { recursive: true, force: true });
    await backend.cleanup();
  }
}

function benchBackend(backend: Backend, withSite: boolean): Promise<Row[]> {
  return withServer(backend, (url, child, t0) => measure(backend, withSite, url, child, t0));
}

async function measure(backend: Backend, withSite: boolean, url: string, child: ChildProcess, t0: number): Promise<Row[]> {
  const rows: Row[] = [];
  const label = (s: string) => `api (${backend.name}): ${s}`;
  await waitHealthy(url, child);
  rows.push({ name: label('first start on an empty store: load the bundled data, serve'), value: performance.now() - t0, unit: 'ms' });
  const query = {
    url: `${url}/v1/query`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.642' }),
    connections: 16,
  };
  await autocannon({ ...query, duration: 3 }); // warm up (JIT, caches)
  const r = await autocannon({ ...query, duration: DURATION_S });
  if (r.non2xx || r.errors) throw new Error(`query load: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  rows.push({ name: label(`POST /v1/query, one package (DBI 1.642, 16 connections, ${DURATION_S} s)`), value: r.requests.average, unit: 'req/s', target: '> 5,000' });
  rows.push({ name: label('POST /v1/query p99 latency'), value: r.latency.p99, unit: 'ms', target: '< 20 ms' });
  const batch = JSON.stringify({ queries: batchQueries() });
  const times: number[] = [];
  let vulns = 0;
  for (let i = 0; i < 25; i++) {
    const b0 = performance.now();
    const res = await fetch(`${url}/v1/querybatch`, { method: 'POST', body: batch, headers: { 'content-type': 'application/json' } });
    const body = (await res.json()) as { results: { vulns?: unknown[] }[] };
    times.push(performance.now() - b0);
    if (!res.ok || body.results.length !== 1000) throw new Error(`querybatch: HTTP ${res.status}`);
    vulns = body.results.reduce((n, x) => n + (x.vulns?.length ?? 0), 0);
  }
  rows.push({ name: label(`POST /v1/querybatch of 1,000 queries (${vulns} matches), median of 25`), value: median(times.slice(5)), unit: 'ms', target: '< 100 ms' });
  rows.push({ name: label('POST /v1/querybatch of 1,000 queries, slowest of 25'), value: Math.max(...times.slice(5)), unit: 'ms' });
  if (withSite) {
    const paths = await sitePaths();
    const each: number[] = [];
    const s0 = performance.now();
    for (const p of paths) {
      const p0 = performance.now();
      const res = await fetch(url + p);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
      each.push(performance.now() - p0);
    }
    rows.push({ name: label(`site: first render of every page through HTTP (${paths.length} pages, one at a time)`), value: performance.now() - s0, unit: 'ms' });
    rows.push({ name: label('site: first render of one page, p99'), value: percentile(each, 99), unit: 'ms' });
  }
  return rows;
}

export async function benchApi(): Promise<Row[]> {
  const rows: Row[] = [...benchSite()];
  rows.push(...(await benchBackend(await sqlite(), true)));
  rows.push(...(await benchBackend(await postgres(), false)));
  return rows;
}

/**
 * `POST /v1/query` for DBI 1.643 (a 33 kB answer) against a bare Fastify returning the same body,
 * both in their own process, measured alternately in the same run: the ratio is how close the
 * server comes to the stack's limit (issue 11 asks for 0.8).
 */
export async function benchApiQuery(): Promise<Row[]> {
  const { writeFileSync } = await import('node:fs');
  const backend = await sqlite();
  return withServer(backend, async (url, child) => {
    await waitHealthy(url, child);
    const body = JSON.stringify({ package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.643' });
    const answer = await (await fetch(`${url}/v1/query`, { method: 'POST', body })).text();
    const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-bare-'));
    const file = path.join(dir, 'answer.json');
    writeFileSync(file, answer);
    const port = await freePort();
    const bare = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'bare-fastify.ts'), String(port), file], { cwd: root, stdio: 'ignore' });
    const bareUrl = `http://127.0.0.1:${port}`;
    try {
      await waitHealthy(bareUrl, bare);
      const load = (u: string, seconds: number) =>
        autocannon({ url: `${u}/v1/query`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 16, duration: seconds });
      await load(url, 3);
      await load(bareUrl, 3);
      const ours: number[] = [];
      const theirs: number[] = [];
      // alternate, so that both see the same machine (other work on the shared cores)
      for (let i = 0; i < 3; i++) {
        const a = await load(url, Math.max(2, Math.round(DURATION_S / 3)));
        const b = await load(bareUrl, Math.max(2, Math.round(DURATION_S / 3)));
        if (a.non2xx || a.errors || b.non2xx || b.errors) throw new Error('query load: non-2xx answers or errors');
        ours.push(a.requests.average);
        theirs.push(b.requests.average);
      }
      const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
      return [
        { name: `api-query: POST /v1/query DBI 1.643 (${Math.round(answer.length / 1000)} kB answer), cpansec serve, 16 connections`, value: sum(ours) / 3, unit: 'req/s' },
        { name: 'api-query: the same body from a bare Fastify, same run', value: sum(theirs) / 3, unit: 'req/s' },
        { name: 'api-query: cpansec serve / bare Fastify', value: sum(ours) / sum(theirs), unit: 'ratio', target: '>= 0.8' },
      ];
    } finally {
      if (bare.exitCode === null) bare.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
