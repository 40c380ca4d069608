/**
 * SBOM figures: time to produce an SBOM for real distribution tarballs (packed here with tar from the
 * real META files in test/fixtures/sbom/meta: Mojolicious, Plack, Moose, DBI, Devel-REPL), for the
 * largest real cpanfile.snapshot in the fixtures (metacpan-api, 369 distributions), and for an
 * installed tree of the same 369 distributions (cpanm's records, built here from that snapshot), in
 * both formats; and time to validate one.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseSnapshot } from '../src/audit/sources/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { coreInfo } from '../src/perl/index.js';
import { addVulnerabilities, readSbomSource, renderSbom, serializeJson, validateDocument, type SbomFormat } from '../src/sbom/index.js';
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
