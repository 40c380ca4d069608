import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadBundledDatabase, loadDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { readJsonZip, validateOsv, type OsvRecord } from '../../src/publish/index.js';
import { cli } from '../helpers/cli.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const tmp = tempDir('export');
const fixtures = upstreamPath('data', 'cve5', 'cna-tool-fixtures');
const PLACEHOLDER_ORG = '00000000-0000-4000-9000-000000000000';
const bundled = new VulnerabilityIndex(loadBundledDatabase());

const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1 && stderr.startsWith('cpansec: ');

test('export osv: a directory of <id>.json, replaced whole on a second run; a zip; refusals', async () => {
  const dir = path.join(tmp, 'osv');
  let r = cli(['export', 'osv', '-o', dir]);
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(dir);
  assert.equal(files.length, 1004);
  assert.equal(statSync(dir).mode & 0o777, 0o777 & ~process.umask());
  const mojo = JSON.parse(readFileSync(path.join(dir, 'CPANSA-Mojolicious-2022-03.json'), 'utf8')) as OsvRecord;
  assert.deepEqual(validateOsv(mojo), []);
  r = cli(['export', 'osv', '--distribution', 'Mojolicious', '-o', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(readdirSync(dir).length < 100, 'the old tree is replaced, not merged');
  assert.ok(!readdirSync(tmp).some((n) => n.includes('.tmp-') || n.includes('.old-')), 'no temporary tree is left');

  const other = path.join(tmp, 'mine');
  mkdirSync(other);
  writeFileSync(path.join(other, 'notes.txt'), 'keep me');
  r = cli(['export', 'osv', '-o', other]);
  assert.equal(r.status, 2);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /holds other files/);
  assert.equal(readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'keep me');

  r = cli(['export', 'osv', '-o', '/nonexistent-dir/osv']);
  assert.equal(r.status, 2);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /cannot write: no such directory/);

  const zip = path.join(tmp, 'all.zip');
  r = cli(['export', 'osv', '--zip', '-o', zip]);
  assert.equal(r.status, 0, r.stderr);
  const entries = await readJsonZip(readFileSync(zip), zip);
  assert.equal(entries.size, 1004);
});

test('advisory import-osv: the whole zip back into report files that load as the same database', () => {
  const out = path.join(tmp, 'imported');
  mkdirSync(out);
  const r = cli(['advisory', 'import-osv', path.join(tmp, 'all.zip'), '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^2061 advisories, \d+ distribution\(s\)/);
  const back = new VulnerabilityIndex(loadDatabase(out));
  const key = (a: { id: string; distribution: string; affectedVersions: string[] }) => `${a.distribution} ${a.id} ${a.affectedVersions.join('|')}`;
  assert.deepEqual(back.allAdvisories().map(key).sort(), bundled.allAdvisories().map(key).sort());
  const again = cli(['advisory', 'import-osv', path.join(tmp, 'all.zip'), '-o', out]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists \(give --force to replace it\)/);
});

test('export cve5 and import-cve; export cpansa-json that audit reads', () => {
  let r = cli(['export', 'cve5', '--distribution', 'Mojolicious']);
  assert.equal(r.status, 0, r.stderr);
  const exported = JSON.parse(r.stdout) as { id: string; cveIds: string[]; cnaContainer: unknown }[];
  assert.ok(exported.length > 10);
  assert.match(r.stderr, /CNA containers, 0 advisories that cannot be a CVE record/);
  const file = path.join(tmp, 'mojo-cve.json');
  writeFileSync(file, r.stdout);
  r = cli(['advisory', 'import-cve', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^distribution: Mojolicious$/m);

  const db = path.join(tmp, 'mojo.json');
  r = cli(['export', 'cpansa-json', '--distribution', 'Mojolicious', '-o', db]);
  assert.equal(r.status, 0, r.stderr);
  const mine = cli(['audit', 'dist', 'Mojolicious', '9.30', '--db', db, '--format', 'json']);
  const theirs = cli(['audit', 'dist', 'Mojolicious', '9.30', '--format', 'json']);
  const ids = (out: string) => (JSON.parse(out) as { dependencies: { advisories: { id: string }[] }[] }).dependencies.flatMap((d) => d.advisories.map((a) => a.id)).sort();
  assert.equal(mine.status, 1);
  assert.deepEqual(ids(mine.stdout), ids(theirs.stdout));
});

test('export atom/rss: a file, and a clear refusal without --base-url', () => {
  const feed = path.join(tmp, 'feed.atom');
  let r = cli(['export', 'atom', '--base-url', 'https://cpansec.example', '--limit', '5', '-o', feed]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(feed, 'utf8').match(/<entry>/g)?.length, 5);
  // undated advisories carry --modified (default: the database's generation time) and sit by that date
  const rss = path.join(tmp, 'feed.rss');
  r = cli(['export', 'rss', '--base-url', 'https://cpansec.example', '--modified', '2030-01-02T03:04:05Z', '-o', rss]);
  assert.equal(r.status, 0, r.stderr);
  const dates = [...readFileSync(rss, 'utf8').matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => Date.parse(m[1]!));
  assert.equal(dates.length, 1004);
  assert.equal(dates[0], Date.parse('2030-01-02T03:04:05Z'));
  assert.ok(dates.every((d, i) => i === 0 || d <= dates[i - 1]!), 'newest first by the dates shown');
  r = cli(['export', 'rss']);
  assert.equal(r.status, 2);
  assert.ok(oneLine(r.stderr));
  r = cli(['export', 'yaml']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown export format 'yaml'/);
});

test('cve build / check / announce on the CNA tool fixtures', () => {
  const yaml = path.join(fixtures, 'CVE-2025-40916.yaml');
  const out = path.join(tmp, 'CVE-2025-40916.json');
  let r = cli(['cve', 'build', yaml, '--org-id', PLACEHOLDER_ORG, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /^\{\n {3}"containers" : \{\n/);
  r = cli(['cve', 'check', out]);
  assert.equal(r.status, 0, r.stdout);

  r = cli(['cve', 'announce', yaml, '--org-id', PLACEHOLDER_ORG]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(projectPath('test', 'fixtures', 'publish', 'announce', 'CVE-2025-40916.txt'), 'utf8'));

  r = cli(['cve', 'check', ...['CVE-2025-40906', 'CVE-2025-40916', 'CVE-2025-40933'].map((id) => path.join(fixtures, `${id}.yaml`))]);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /3 file\(s\): 0 error\(s\), \d+ warning\(s\)\n$/);
  r = cli(['cve', 'check', '--strict', yaml]);
  assert.equal(r.status, 1);

  const bad = path.join(tmp, 'bad.yaml');
  writeFileSync(bad, readFileSync(yaml, 'utf8').replace(/^ {2}title: \|\n( {4}.*\n)+/m, '').replace('GRYPHON', 'TODO'));
  r = cli(['cve', 'build', bad]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `cpansec: ${bad}: cannot build the CVE record: missing title\n`);
  r = cli(['cve', 'check', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /bad\.yaml:3: error: \[cna-schema\] \$\.cpansec: missing title/);
  r = cli(['cve', 'build', yaml, '-o', '/nonexistent-dir/x.json']);
  assert.equal(r.status, 2);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.ok(!existsSync('/nonexistent-dir'));
});
