/**
 * Durability of the disclosure workspace (issue 5): `cpansec serve` in a child process on SQLite
 * and on PostgreSQL, a burst of case updates over HTTP (messages and assessments, with an API
 * token), SIGKILL in the middle of it, a restart on the same store — then every update the server
 * acknowledged (2xx) must be there, and the audit log's hash chain must verify. `durabilityRun`
 * is also what test/workspace/durability.test.ts runs, with a smaller burst.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Row } from './row.js';
import { benchDatabase } from './postgres.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(root, 'test', 'helpers', 'cli-entry.ts');

export interface DurabilityOptions {
  /** --data-dir DIR or --database URL of an empty store */
  flags: string[];
  updates: number;
  concurrency: number;
  /** SIGKILL once this many updates were acknowledged */
  killAfter: number;
}

export interface DurabilityResult {
  sent: number;
  acknowledged: number;
  /** acknowledged updates found after the restart */
  found: number;
  missing: string[];
  chainValid: boolean;
  auditEntries: number;
  /** acknowledged updates per second before the kill */
  rate: number;
}

function cli(args: string[], input = ''): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: root, input, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`cpansec ${args[0]} ${args[1] ?? ''} failed: ${r.stderr}`);
  return r.stdout;
}

interface Serving {
  url: string;
  child: ChildProcess;
  closed: Promise<unknown>;
}

async function serve(flags: string[]): Promise<Serving> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--port', '0', '--reminders-interval', '0', '--outbox-interval', '0', ...flags], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise((resolve) => child.once('close', resolve));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cpansec serve did not start in 120 s: ${err}`)), 120_000);
    child.once('close', (code) => reject(new Error(`cpansec serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"cpansec serving"'));
      const m = line && /"url":"([^"]+)"/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  // keep draining the log, or a full pipe would stall the server
  child.stdout!.resume();
  return { url, child, closed };
}

async function api(url: string, token: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One run: start, burst, SIGKILL, restart, check. */
export async function durabilityRun(o: DurabilityOptions): Promise<DurabilityResult> {
  cli(['admin', 'create', '--email', 'ada@cpansec.test', '--name', 'Ada', ...o.flags], 'durability test administrator\n');
  const token = cli(['admin', 'token', 'ada@cpansec.test', '--name', 'burst', ...o.flags]).trim();
  let server = await serve(o.flags);
  try {
    const filed = await api(server.url, token, 'POST', '/api/reports', {
      distribution: 'Durable-Dist',
      affectedVersions: ['< 1.0'],
      description: 'A case for the durability burst: updates are acknowledged, then the server is killed.',
      reporterEmail: 'rita@example.org',
    });
    if (filed.status !== 201) throw new Error(`filing failed: ${JSON.stringify(filed.json)}`);
    const ref = filed.json.reference as string;
    if ((await api(server.url, token, 'POST', `/api/cases/${ref}/transitions`, { to: 'triaging', reason: 'burst' })).status !== 200) throw new Error('triage failed');

    // the burst: a message, or every fifth update an assessment (a new case version)
    const acknowledged: { kind: 'message' | 'cwe'; key: string }[] = [];
    let next = 0;
    let killed = false;
    const started = performance.now();
    let killedAt = started;
    const child = server.child;
    const worker = async () => {
      while (!killed && next < o.updates) {
        const i = next++;
        const update = i % 5 === 4 ? { kind: 'cwe' as const, key: `CWE-${1000 + i}` } : { kind: 'message' as const, key: `burst update #${i}` };
        try {
          const r =
            update.kind === 'message'
              ? await api(server.url, token, 'POST', `/api/cases/${ref}/messages`, { body: update.key, visibility: 'internal' })
              : await api(server.url, token, 'POST', `/api/cases/${ref}/assessment`, { cwes: [update.key] });
          if (r.status >= 200 && r.status < 300 && !killed) {
            acknowledged.push(update);
            if (acknowledged.length >= o.killAfter) {
              killed = true;
              killedAt = performance.now();
              child.kill('SIGKILL');
            }
          } else if (r.status >= 200 && r.status < 300) {
            // answered just before the kill landed: acknowledged all the same
            acknowledged.push(update);
          }
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    await server.closed;
    const rate = acknowledged.length / ((killedAt - started) / 1000);

    server = await serve(o.flags);
    const thread = await api(server.url, token, 'GET', `/api/cases/${ref}/messages`);
    const bodies = new Set((thread.json.messages as { body: string }[]).map((m) => m.body));
    const log = await api(server.url, token, 'GET', `/api/cases/${ref}/audit`);
    const cwes = new Set((log.json.entries as { action: string; data: { cwes?: string } }[]).filter((e) => e.action === 'case.assessed').map((e) => e.data.cwes));
    const missing = acknowledged.filter((u) => (u.kind === 'message' ? !bodies.has(u.key) : !cwes.has(u.key))).map((u) => u.key);
    const verified = await api(server.url, token, 'GET', '/api/audit/verify');
    return {
      sent: next,
      acknowledged: acknowledged.length,
      found: acknowledged.length - missing.length,
      missing,
      chainValid: verified.json.ok === true,
      auditEntries: Number(verified.json.count ?? 0),
      rate,
    };
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await server.closed;
  }
}

function rows(backend: string, r: DurabilityResult): Row[] {
  return [
    { name: `${backend}: updates acknowledged before SIGKILL`, value: r.acknowledged, unit: 'updates' },
    { name: `${backend}: acknowledged updates found after restart`, value: r.found, unit: 'updates', target: `= ${r.acknowledged}` },
    { name: `${backend}: acknowledged updates lost`, value: r.missing.length, unit: 'updates', target: '0' },
    { name: `${backend}: audit log hash chain valid after restart`, value: r.chainValid ? 1 : 0, unit: 'yes=1', target: '1' },
    { name: `${backend}: audit entries after restart`, value: r.auditEntries, unit: 'entries' },
    { name: `${backend}: acknowledged updates per second (burst, 32 clients)`, value: r.rate, unit: 'updates/s' },
  ];
}

export async function benchDisclosure(): Promise<Row[]> {
  const options = { updates: 4000, concurrency: 32, killAfter: 1500 };
  const out: Row[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-durability-'));
  try {
    out.push(...rows('SQLite', await durabilityRun({ ...options, flags: ['--data-dir', dir] })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let db: Awaited<ReturnType<typeof benchDatabase>> | undefined;
  try {
    db = await benchDatabase('durability');
  } catch (e) {
    out.push({ name: `PostgreSQL: not measured (${(e as Error).message.split('\n')[0]})`, value: NaN, unit: '' });
    return out;
  }
  try {
    out.push(...rows('PostgreSQL', await durabilityRun({ ...options, flags: ['--database', db.url] })));
  } finally {
    await db.drop();
  }
  return out;
}
