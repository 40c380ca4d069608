/**
 * Regenerates data/cpansa/ and data/cpansa.json from an upstream checkout of the CPAN Security
 * Advisory database (github.com/briandfoy/cpan-security-advisory).
 *
 *   npm run data:bundle -- /path/to/cpan-security-advisory
 *
 * The report files are copied verbatim (they are the reviewable source). data/cpansa.json is the
 * compiled database in the CPANSA JSON layout that CPAN::Audit reads, with the released versions and
 * module map of the upstream compiled JSON, and the advisories read from the report files (the
 * upstream JSON drops `github_security_advisory`; ours keeps every field).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReport, toCpansaRecord, type Advisory } from '../src/advisory/index.js';
import { formatCpansaLines } from '../src/index/cpansa-lines.js';
import { writeDataTables } from './data-tables-write.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!process.argv[2]) {
  console.error('usage: npm run data:bundle -- /path/to/cpan-security-advisory');
  process.exit(2);
}
const upstream = path.resolve(process.argv[2]);
const out = path.join(root, 'data');

const compiled = JSON.parse(readFileSync(path.join(upstream, 'cpan-security-advisory.json'), 'utf8'));

const reportDirs: [string, string][] = [
  ['cpansa', 'reports'],
  ['generated_reports', 'generated'],
];
rmSync(path.join(out, 'cpansa'), { recursive: true, force: true });
const byDist = new Map<string, Advisory[]>();
let files = 0;
for (const [from, to] of reportDirs) {
  mkdirSync(path.join(out, 'cpansa', to), { recursive: true });
  for (const name of readdirSync(path.join(upstream, from)).filter((n) => n.endsWith('.yml')).sort()) {
    const src = path.join(upstream, from, name);
    copyFileSync(src, path.join(out, 'cpansa', to, name));
    const report = readReport(readFileSync(src, 'utf8'), src);
    const list = byDist.get(report.distribution) ?? [];
    list.push(...report.advisories);
    byDist.set(report.distribution, list);
    files++;
  }
}
copyFileSync(path.join(upstream, 'LICENSE'), path.join(out, 'cpansa', 'LICENSE'));

const dists: Record<string, unknown> = {};
let advisories = 0;
for (const name of Object.keys(compiled.dists).sort()) {
  const upstreamDist = compiled.dists[name];
  const ours = byDist.get(name) ?? [];
  if (ours.length !== upstreamDist.advisories.length) {
    throw new Error(`${name}: ${ours.length} advisories in the reports, ${upstreamDist.advisories.length} in the compiled JSON`);
  }
  advisories += ours.length;
  dists[name] = {
    advisories: ours.map((a) => toCpansaRecord(a, { withDistribution: true })),
    main_module: upstreamDist.main_module,
    versions: upstreamDist.versions,
  };
}
const meta = { ...compiled.meta, bundled_by: 'cpansec scripts/bundle-data.ts', report_files: files, advisory_count: advisories };
const target = path.join(out, 'cpansa.json');
const text = formatCpansaLines(meta, compiled.module2dist, dists);
// the tables first: a table beside a file it does not describe is refused by its size, never read
writeDataTables(out, Buffer.from(text));
writeFileSync(`${target}.tmp`, text);
renameSync(`${target}.tmp`, target);
console.log(`bundled ${files} report files, ${Object.keys(dists).length} distributions, ${advisories} advisories -> ${target}`);
