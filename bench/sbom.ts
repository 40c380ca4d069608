/**
 * SBOM figures: time to produce an SBOM for real distribution tarballs (packed here with tar from the
 * real META files in test/fixtures/sbom/meta: Mojolicious, Plack, Moose, DBI, Devel-REPL), for the
 * largest real cpanfile.snapshot in the fixtures (metacpan-api, 369 distributions), and for an
 * installed tree of the same 369 distributions (cpanm's records, built here from that snapshot), in
 * both formats; and time to validate one. Then (issue 13) the SBOM of the largest real snapshot and
 * of a 20,000-component document (a synthetic snapshot of 20,000 distributions, each requiring the
 * next and perl's core modules), the validation time of both documents, and the peak memory of each
 * of the four: each runs in its own node process (`--child`), whose maximum RSS is its peak memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseSnapshot } from '../src/audit/sources/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { coreInfo } from '../src/perl/index.js';
import { addVulnerabilities, parseSbomDocument, readSbomSource, renderSbom, serializeJson, validateDocument, type SbomFormat } from '../src/sbom/index.js';
import type { Row } from './row.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const META = path.join(root, 'test', 'fixtures', 'sbom', 'meta');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const core = (m: string) => coreInfo(m);

const RELEASES: [string, string, string, string][] = [
  ['Mojolicious', '5.71', 'Mojolicious-5.71.META.json', 'SRI'],
  ['Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA'],
  ['Moose', '2.1403', 'Moose-2.1403.META.json', 'ETHER'],
  ['DBI', '1.632', 'DBI-1.632.META.yml', 'TIMB'],
  ['Devel-REPL', '1.003026', 'Devel-REPL-1.003026.META.json', 'ETHER'],
];

/** A tarball shaped like the release: META plus a few hundred module files of realistic size. */
function pack(dir: string, [name, version, meta, author]: (typeof RELEASES)[number]): string {
  const src = path.join(dir, 'src', `${name}-${version}`);
  mkdirSync(path.join(src, 'lib'), { recursive: true });
  copyFileSync(path.join(META, meta), path.join(src, meta.endsWith('.yml') ? 'META.yml' : 'META.json'));
  for (let i = 0; i < 200; i++) writeFileSync(path.join(src, 'lib', `M${i}.pm`), `package ${name}::M${i};\n${'# some code\n'.repeat(400)}1;\n`);
  const out = path.join(dir, 'authors', 'id', author[0]!, author.slice(0, 2), author);
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${name}-${version}.tar.gz`);
  execFileSync('tar', ['czf', file, '-C', path.join(dir, 'src'), `${name}-${version}`]);
  return file;
}

/**
 * local/lib/perl5 as `cpanm -L local` would leave it for the snapshot's distributions: per
 * distribution an install.json (its provides) and a MYMETA.json (its requirements as runtime
 * requires), and one module file each. Returns the project directory.
 */
function installedTree(dir: string, snapshotFile: string): string {
  const project = path.join(dir, 'installed');
  const lib = path.join(project, 'local', 'lib', 'perl5');
  for (const d of parseSnapshot(readFileSync(snapshotFile, 'utf8'), snapshotFile).distributions) {
    const record = path.join(lib, 'x86_64-linux', '.meta', d.name);
    mkdirSync(record, { recursive: true });
    const provides = Object.fromEntries(d.provides.map((p) => [p.module, { file: `lib/${p.module.replace(/::/g, '/')}.pm`, ...(p.version ? { version: p.version } : {}) }]));
    const main = d.provides[0]?.module ?? d.distribution.replace(/-/g, '::');
    writeFileSync(path.join(record, 'install.json'), JSON.stringify({ name: main, target: main, version: d.version, dist: d.name, pathname: d.pathname, provides }));
    const requires = Object.fromEntries(d.requirements.map((r) => [r.module, r.version]));
    const mymeta = { name: d.distribution, version: d.version, abstract: 'unknown', author: ['unknown'], license: ['perl_5'], 'meta-spec': { version: 2 }, dynamic_config: 0, prereqs: { runtime: { requires } } };
    writeFileSync(path.join(record, 'MYMETA.json'), JSON.stringify(mymeta, null, 3));
    const pm = path.join(lib, ...main.split('::')) + '.pm';
    mkdirSync(path.dirname(pm), { recursive: true });
    writeFileSync(pm, `package ${main};\nour $VERSION = '${d.version ?? '0'}';\n1;\n`);
  }
  return project;
}

/** A Carton snapshot of n distributions: Dist-i provides Dist::i, requires Dist::i+1 and a core module. */
function syntheticSnapshot(dir: string, n: number): string {
  const lines = ['# carton snapshot format: version 1.0', 'DISTRIBUTIONS'];
  for (let i = 0; i < n; i++) {
    const author = `AUTHOR${i % 500}`;
    lines.push(`  Dist-${i}-1.${i % 100}`, `    pathname: ${author[0]}/${author.slice(0, 2)}/${author}/Dist-${i}-1.${i % 100}.tar.gz`, '    provides:', `      Dist::${i} 1.${i % 100}`, `      Dist::${i}::Util 1.${i % 100}`, '    requirements:');
    if (i + 1 < n) lines.push(`      Dist::${i + 1} 0`);
    lines.push(`      ${i % 2 ? 'Scalar::Util' : 'ExtUtils::MakeMaker'} 0`);
  }
  const project = path.join(dir, 'synthetic');
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'cpanfile.snapshot'), `${lines.join('\n')}\n`);
  return path.join(project, 'cpanfile.snapshot');
}

/** Run one measured task in a fresh node process: its time and its peak memory (maximum RSS). */
function child(task: 'generate' | 'validate', input: string, output?: string): { ms: number; peakMiB: number; items: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', task, input, ...(output ? [output] : [])], { encoding: 'utf8', cwd: root, maxBuffer: 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench child ${task} ${input}: ${r.stderr.split('\n')[0]}`);
  return JSON.parse(r.stdout) as { ms: number; peakMiB: number; items: number };
}

async function runChild(task: string, input: string, output?: string): Promise<void> {
  let items = 0;
  let t = 0;
  if (task === 'generate') {
    t = performance.now();
    const doc = renderSbom(await readSbomSource(input, { core }), { format: 'cyclonedx', toolVersion: 'bench' });
    writeFileSync(output!, serializeJson(doc));
    items = (doc.components as unknown[]).length;
  } else {
    validateDocument({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 }); // compile the schema: not what is measured
    t = performance.now();
    const result = validateDocument(parseSbomDocument(readFileSync(input, 'utf8'), input), input)!;
    if (!result.valid) throw new Error(`invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
    items = result.problems.length;
  }
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ ms, peakMiB: process.resourceUsage().maxRSS / 1024, items }));
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export async function benchSbom(): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-sbom-'));
  const rows: Row[] = [];
  try {
    const render = (format: SbomFormat) => async (input: string) => serializeJson(renderSbom(await readSbomSource(input, { core }), { format, toolVersion: 'bench' }));
    for (const release of RELEASES) {
      const file = pack(dir, release);
      for (const format of ['cyclonedx', 'spdx'] as const) {
        rows.push({ name: `${path.basename(file)} -> ${format} (read, hash, render; median of 15)`, value: await time(15, () => render(format)(file)), unit: 'ms', target: '< 200 ms' });
      }
    }
    const snapshot = path.join(root, 'test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
    for (const format of ['cyclonedx', 'spdx'] as const) {
      rows.push({ name: `metacpan-api cpanfile.snapshot (369 dists) -> ${format} (median of 9)`, value: await time(9, () => render(format)(snapshot)), unit: 'ms', target: '< 1 s' });
    }
    const tree = installedTree(dir, snapshot);
    for (const format of ['cyclonedx', 'spdx'] as const) {
      rows.push({ name: `installed tree, 369 cpanm records (install.json + MYMETA.json) -> ${format} (median of 9)`, value: await time(9, () => render(format)(tree)), unit: 'ms', target: '< 1 s' });
    }
    const index = new VulnerabilityIndex(loadBundledDatabase());
    let doc: Record<string, unknown> = {};
    rows.push({
      name: 'metacpan-api snapshot -> cyclonedx --with-vulnerabilities (median of 9)',
      value: await time(9, async () => {
        const sbom = await readSbomSource(snapshot, { core, distributionOf: (m) => index.distributionOfModule(m) });
        addVulnerabilities(sbom, index, { today: '2026-11-24', coreLookup: core });
        doc = renderSbom(sbom, { format: 'cyclonedx', toolVersion: 'bench' });
      }),
      unit: 'ms',
      target: '< 2 s',
    });
    rows.push({ name: 'components / vulnerabilities in that document', value: (doc.components as unknown[]).length, unit: `/ ${(doc.vulnerabilities as unknown[] | undefined)?.length ?? 0}` });
    rows.push({ name: 'validate that document against the CycloneDX 1.6 schema (median of 9, schema compiled once)', value: await time(9, async () => validateDocument(doc)), unit: 'ms' });

    // issue 13: the largest real snapshot and a 20,000-component document, each in its own process
    const synthetic = syntheticSnapshot(dir, 20_000);
    for (const [label, input] of [
      ['largest real snapshot (metacpan-api, 369 dists)', snapshot],
      ['synthetic snapshot of 20,000 distributions', synthetic],
    ] as const) {
      const out = path.join(dir, `${path.basename(path.dirname(input))}.cdx.json`);
      const g = child('generate', input, out);
      rows.push({ name: `SBOM of the ${label} -> CycloneDX 1.6: ${g.items.toLocaleString('en-US')} components`, value: g.ms, unit: 'ms' });
      rows.push({ name: `  peak memory of that run (max RSS of its process)`, value: g.peakMiB, unit: 'MiB' });
      const v = child('validate', out);
      rows.push({ name: `validate that document (schema + every check; ${(readFileSync(out).length / 1024 / 1024).toFixed(1)} MiB)`, value: v.ms, unit: 'ms', target: 'linear' });
      rows.push({ name: `  peak memory of the validation (max RSS of its process)`, value: v.peakMiB, unit: 'MiB' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[2] === '--child') await runChild(process.argv[3]!, process.argv[4]!, process.argv[5]);
