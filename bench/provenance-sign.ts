/**
 * Provenance II figures: signing and verifying release bundles per second, a whole `cpansec verify`
 * process, and TUF repositories: hashed bins with 10,000 authors and 100,000 targets, per-author
 * delegations with 1,000 authors and 10,000 targets: metadata sizes and a full tuf-js client refresh (root to the target's role).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Updater } from 'tuf-js';
import { generateSigningKey, parseBundle, readSigningKey, sha256Hex, signRelease, trustedKeyFromFile, verifyRelease } from '../src/provenance/attestation/index.js';
import { newSigner, TufRepository, type TufDocument } from '../src/provenance/tuf/index.js';
import { projectPath } from '../test/helpers/paths.js';
import type { Row } from './row.js';

function perSecond(fn: () => void, ms = 1000): number {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    fn();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function tufFigures(label: string, binBits: number | undefined, authors: number, targets: number): Promise<Row[]> {
  const keys = { root: [newSigner().signer], targets: [newSigner().signer], snapshot: [newSigner().signer], timestamp: [newSigner().signer], delegation: [newSigner().signer] };
  const t0 = performance.now();
  const repo = TufRepository.init(keys, new Date(), binBits !== undefined ? { binBits } : {});
  const entries = Array.from({ length: targets }, (_, i) => {
    const a = `A${String(i % authors).padStart(6, '0')}`;
    return { path: `authors/id/A/A${a[1]}/${a}/Dist-${i}-1.0.tar.gz`, length: 10_000 + i, sha256: randomBytes(32).toString('hex'), sha512: randomBytes(64).toString('hex') };
  });
  repo.addTargets(entries, keys, new Date());
  const build = performance.now() - t0;
  const docs = repo.drain();
  const latest = new Map<string, TufDocument>();
  for (const d of docs) latest.set(d.role, d);
  const size = (role: string) => Buffer.byteLength(latest.get(role)!.json);
  const delegatedRoles = [...latest.keys()].filter((r) => !['root', 'targets', 'snapshot', 'timestamp'].includes(r));
  const delegatedBytes = delegatedRoles.reduce((s, r) => s + size(r), 0);

  // a static mirror of the newest versions, and a fresh tuf-js client
  const files = new Map<string, string>();
  for (const d of docs) files.set(d.role === 'timestamp' ? 'metadata/timestamp.json' : `metadata/${d.version}.${d.role}.json`, d.json);
  const server = createServer((req, res) => {
    const body = files.get((req.url ?? '/').slice(1));
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-tuf-'));
  try {
    writeFileSync(path.join(dir, 'root.json'), docs[0]!.json);
    const c0 = performance.now();
    const u = new Updater({ metadataDir: dir, metadataBaseUrl: `${url}/metadata`, targetBaseUrl: `${url}/targets`, targetDir: dir, config: { fetchRetries: 0, targetsMaxLength: 64 * 1024 * 1024, snapshotMaxLength: 64 * 1024 * 1024 } });
    await u.refresh();
    const info = await u.getTargetInfo(entries[targets - 1]!.path);
    const refresh = performance.now() - c0;
    if (!info) throw new Error('the client did not find the target');
    return [
      { name: `TUF ${label}: build and sign (${authors.toLocaleString('en-US')} authors, ${targets.toLocaleString('en-US')} targets)`, value: build / 1000, unit: 's' },
      { name: `TUF ${label}: targets.json`, value: size('targets') / 1024, unit: 'KiB' },
      { name: `TUF ${label}: snapshot.json`, value: size('snapshot') / 1024, unit: 'KiB' },
      { name: `TUF ${label}: timestamp.json`, value: size('timestamp') / 1024, unit: 'KiB' },
      { name: `TUF ${label}: delegated roles (${delegatedRoles.length.toLocaleString('en-US')}), mean size`, value: delegatedBytes / delegatedRoles.length / 1024, unit: 'KiB' },
      { name: `TUF ${label}: all metadata`, value: (delegatedBytes + size('targets') + size('snapshot') + size('timestamp') + size('root')) / 1024 / 1024, unit: 'MiB' },
      { name: `TUF ${label}: tuf-js full refresh (root, timestamp, snapshot, targets, the target's role)`, value: refresh, unit: 'ms' },
    ];
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchProvenanceSign(): Promise<Row[]> {
  const k = generateSigningKey();
  const key = readSigningKey(k.privatePem, 'bench');
  const bytes = randomBytes(200 * 1024);
  const facts = { file: 'Foo-Bar-1.23.tar.gz', distribution: 'Foo-Bar', version: '1.23', author: 'ETHER' };
  const now = new Date();
  const signs = perSecond(() => signRelease({ bytes, facts, key, predicate: 'slsa', now }));
  const bundle = signRelease({ bytes, facts, key, predicate: 'slsa', now });
  const text = Buffer.from(JSON.stringify(bundle));
  const keys = [trustedKeyFromFile(key.publicKey, 'k.pub')];
  const sha256 = sha256Hex(bytes);
  const verifies = perSecond(() => {
    const r = verifyRelease({ bundle: parseBundle(text, 'b'), artifact: { name: facts.file, sha256 }, keys });
    if (!r.ok) throw new Error('verification failed');
  });

  // a whole `cpansec verify` process (the built CLI), median of 5
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-verify-'));
  const times: number[] = [];
  try {
    writeFileSync(path.join(dir, facts.file), bytes);
    writeFileSync(path.join(dir, 'b.json'), text);
    writeFileSync(path.join(dir, 'k.pub'), k.publicPem);
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [projectPath('bin', 'cpansec.js'), 'verify', path.join(dir, facts.file), '--bundle', path.join(dir, 'b.json'), '--key', path.join(dir, 'k.pub')], { encoding: 'utf8' });
      times.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`cpansec verify failed: ${r.stderr || r.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const whole = times.sort((a, b) => a - b)[2]!;
  const sizeOfBundle = text.length;
  return [
    { name: 'sign a 200 KiB release (SLSA provenance, DSSE, bundle)', value: signs, unit: 'per s' },
    { name: 'verify a bundle (parse, signature, statement, subject)', value: verifies, unit: 'per s' },
    { name: 'bundle size', value: sizeOfBundle, unit: 'bytes' },
    { name: 'whole-process `cpansec verify --bundle --key` (median of 5)', value: whole, unit: 'ms' },
    // per-author roles at 10,000 authors are out of reach: @tufjs/models serialises snapshot meta
    // with a spread per entry (quadratic), on the signing side and in every client; hence the bins
    ...(await tufFigures('per-author', undefined, 1_000, 10_000)),
    ...(await tufFigures('hashed bins (1,024)', 10, 10_000, 100_000)),
  ];
}
