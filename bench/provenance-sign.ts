/**
 * Provenance II figures: signing and verifying release bundles per second, a whole `cpansec verify`
 * process, and TUF repositories: hashed bins with 10,000 authors and 100,000 targets, per-author
 * delegations with 1,000 authors and 10,000 targets: metadata sizes and a full tuf-js client refresh (root to the target's role).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Updater } from 'tuf-js';
import { MetaFile, Snapshot } from '@tufjs/models';
import { generateSigningKey, parseBundle, parseTrustedRoot, readSigningKey, sha256Hex, signRelease, trustedKeyFromFile, verifyRelease } from '../src/provenance/attestation/index.js';
import { authorSignature, newSigner, signAuthorRoles, tufKeyOf, TufRepository, type TufDocument } from '../src/provenance/tuf/index.js';
import { stock } from '../src/provenance/tuf/linear-json.js';
import { signKeyless, throwawaySigstore } from '../test/provenance/keyless-helpers.js';
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

type TufMode = 'bins' | 'author-roles' | 'bins+author-roles';

async function tufFigures(label: string, mode: TufMode, authors: number, targets: number): Promise<Row[]> {
  const keys = { root: [newSigner().signer], targets: [newSigner().signer], snapshot: [newSigner().signer], timestamp: [newSigner().signer], delegation: [newSigner().signer] };
  const entries = Array.from({ length: targets }, (_, i) => {
    const a = `A${String(i % authors).padStart(6, '0')}`;
    return { path: `authors/id/A/A${a[1]}/${a}/Dist-${i}-1.0.tar.gz`, length: 10_000 + i, sha256: randomBytes(32).toString('hex'), sha512: randomBytes(64).toString('hex') };
  });
  // each author's own Ed25519 key, registered: their role is theirs to sign
  const authorKeys = new Map<string, { key: KeyObject; pub: KeyObject; tuf: ReturnType<typeof tufKeyOf> }>();
  if (mode !== 'bins') {
    for (let i = 0; i < authors; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      authorKeys.set(`A${String(i).padStart(6, '0')}`, { key: privateKey, pub: publicKey, tuf: tufKeyOf(publicKey) });
    }
  }
  // CPU seconds beside wall time: on a shared machine the wall time is mostly waiting for a core
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const c0b = cpu();
  const t0 = performance.now();
  const repo = TufRepository.init(keys, new Date(), mode === 'author-roles' ? {} : { binBits: 10 });
  repo.addTargets(entries, keys, new Date(), new Map([...authorKeys].map(([a, k]) => [a, [k.tuf]])));
  const build = performance.now() - t0;
  const buildCpu = cpu() - c0b;
  let authorSign = 0;
  const c0s = cpu();
  if (mode !== 'bins') {
    const s0 = performance.now();
    const signed = [...authorKeys].map(([author, k]) => ({ author, signatures: [authorSignature(repo.pending.get(author)!.signed, k.key, k.pub)], keys: [k.tuf] }));
    authorSign = performance.now() - s0;
    const p0 = performance.now();
    signAuthorRoles(repo, signed, keys, new Date());
    authorSign += performance.now() - p0;
  }
  const signCpu = cpu() - c0s;
  const docs = repo.drain();
  const latest = new Map<string, TufDocument>();
  for (const d of docs) latest.set(d.role, d);
  const size = (role: string) => Buffer.byteLength(latest.get(role)!.json);
  const delegatedRoles = [...latest.keys()].filter((r) => !['root', 'targets', 'snapshot', 'timestamp'].includes(r));
  const bins = delegatedRoles.filter((r) => repo.isBin(r));
  const own = delegatedRoles.filter((r) => !repo.isBin(r));
  const mean = (roles: string[]) => roles.reduce((n, r) => n + size(r), 0) / roles.length / 1024;
  const allBytes = [...latest.keys()].reduce((n, r) => n + size(r), 0);

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
    const cc = cpu();
    const u = new Updater({ metadataDir: dir, metadataBaseUrl: `${url}/metadata`, targetBaseUrl: `${url}/targets`, targetDir: dir, config: { fetchRetries: 0, targetsMaxLength: 64 * 1024 * 1024, snapshotMaxLength: 64 * 1024 * 1024 } });
    await u.refresh();
    const info = await u.getTargetInfo(entries[targets - 1]!.path);
    const refresh = performance.now() - c0;
    const refreshCpu = cpu() - cc;
    if (!info) throw new Error('the client did not find the target');
    const n = (x: number) => x.toLocaleString('en-US');
    return [
      { name: `TUF ${label}: build and sign (${n(authors)} authors, ${n(targets)} targets)`, value: build / 1000, unit: 's' },
      { name: `TUF ${label}: build and sign, CPU`, value: buildCpu, unit: 'CPU s' },
      ...(mode !== 'bins'
        ? [
            { name: `TUF ${label}: ${n(authors)} authors sign their roles, published with one snapshot`, value: authorSign / 1000, unit: 's' },
            { name: `TUF ${label}: the same, CPU`, value: signCpu, unit: 'CPU s' },
          ]
        : []),
      { name: `TUF ${label}: targets.json`, value: size('targets') / 1024, unit: 'KiB' },
      { name: `TUF ${label}: snapshot.json`, value: size('snapshot') / 1024, unit: 'KiB' },
      { name: `TUF ${label}: timestamp.json`, value: size('timestamp') / 1024, unit: 'KiB' },
      ...(bins.length ? [{ name: `TUF ${label}: bins (${n(bins.length)}), mean size`, value: mean(bins), unit: 'KiB' }] : []),
      ...(own.length ? [{ name: `TUF ${label}: ${mode === 'bins' ? 'per-author' : "authors' own"} roles (${n(own.length)}), mean size`, value: mean(own), unit: 'KiB' }] : []),
      { name: `TUF ${label}: all metadata`, value: allBytes / 1024 / 1024, unit: 'MiB' },
      { name: `TUF ${label}: tuf-js full refresh (root, timestamp, snapshot, targets, ${mode === 'author-roles' ? "the author's role" : mode === 'bins' ? 'the bin' : "the bin, the author's role"})`, value: refresh, unit: 'ms' },
      { name: `TUF ${label}: tuf-js full refresh, CPU (client and the in-process mirror)`, value: refreshCpu * 1000, unit: 'CPU ms' },
    ];
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @tufjs/models' own snapshot parsing (quadratic) beside ours, at sizes the library still manages. */
function modelsFigures(): Row[] {
  const snap = (n: number) => new Snapshot({ version: 1, specVersion: '1.0.34', expires: '2030-01-01T00:00:00Z', meta: Object.fromEntries(Array.from({ length: n }, (_, i) => [`A${i}.json`, new MetaFile({ version: 1 })])) });
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const s2 = snap(2000);
  const s10 = snap(10_000);
  return [
    { name: '@tufjs/models 4.1 as shipped: snapshot of 2,000 roles to JSON and back', value: time(() => stock.snapshotFromJSON(stock.snapshotToJSON.call(s2) as never)), unit: 'ms' },
    { name: 'linear conversions (linear-json.ts): snapshot of 10,000 roles to JSON and back', value: time(() => Snapshot.fromJSON(s10.toJSON())), unit: 'ms' },
  ];
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

  // keyless: a bundle with a certificate of a throwaway Fulcio-like CA and a Rekor-like entry
  const sigstore = await throwawaySigstore();
  const release = { file: facts.file, bytes };
  const keylessText = Buffer.from(JSON.stringify(await signKeyless(sigstore, release, { identity: 'alice@example.org', issuer: 'https://accounts.example.org' })));
  const trustedRoot = parseTrustedRoot(Buffer.from(JSON.stringify(sigstore.trustedRoot)), 'trusted_root.json');
  const keylessOptions = { trustedRoot, identity: 'alice@example.org', issuer: 'https://accounts.example.org' };
  const keylessVerifies = perSecond(() => {
    const r = verifyRelease({ bundle: parseBundle(keylessText, 'b'), artifact: { name: facts.file, sha256 }, keys: [], keyless: keylessOptions });
    if (!r.ok) throw new Error(`keyless verification failed: ${JSON.stringify(r.checks.at(-1))}`);
  });
  const kdir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-keyless-'));
  const ktimes: number[] = [];
  try {
    writeFileSync(path.join(kdir, facts.file), bytes);
    writeFileSync(path.join(kdir, 'b.json'), keylessText);
    writeFileSync(path.join(kdir, 'root.json'), JSON.stringify(sigstore.trustedRoot));
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [projectPath('bin', 'cpansec.js'), 'verify', path.join(kdir, facts.file), '--bundle', path.join(kdir, 'b.json'), '--trusted-root', path.join(kdir, 'root.json'), '--certificate-identity', keylessOptions.identity, '--certificate-oidc-issuer', keylessOptions.issuer], { encoding: 'utf8' });
      ktimes.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`cpansec verify (keyless) failed: ${r.stderr || r.stdout}`);
    }
  } finally {
    rmSync(kdir, { recursive: true, force: true });
  }
  const keyless: Row[] = [
    { name: 'verify a keyless bundle (certificate chain, Rekor entry: SET and inclusion proof, identity)', value: keylessVerifies, unit: 'per s' },
    { name: 'whole-process `cpansec verify --bundle` of a keyless bundle (median of 5)', value: ktimes.sort((a, b) => a - b)[2]!, unit: 'ms' },
  ];
  const sizeOfBundle = text.length;
  return [
    { name: 'sign a 200 KiB release (SLSA provenance, DSSE, bundle)', value: signs, unit: 'per s' },
    { name: 'verify a bundle (parse, signature, statement, subject)', value: verifies, unit: 'per s' },
    { name: 'bundle size', value: sizeOfBundle, unit: 'bytes' },
    { name: 'whole-process `cpansec verify --bundle --key` (median of 5)', value: whole, unit: 'ms' },
    ...keyless,
    ...modelsFigures(),
    ...(await tufFigures('hashed bins (1,024), server-signed', 'bins', 10_000, 100_000)),
    ...(await tufFigures("per-author roles signed by the authors' keys", 'author-roles', 10_000, 100_000)),
    ...(await tufFigures("hashed bins (1,024) delegating to the authors' own roles", 'bins+author-roles', 10_000, 100_000)),
  ];
}
