/**
 * Issue 11, exact records, on the real bundled data: no OSV record repeats a version or an
 * affected entry; a range with no release inside yet still has its ECOSYSTEM events; nothing
 * `advisory lint` calls invalid is published as an alias; cpansa-json gives back the release lists
 * it read; RSS guids are permalinks; CWE ids travel through OSV, CVE and the feeds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { fromCpansaRecord, lintReports, readReport } from '../../src/advisory/index.js';
import { loadBundledDatabase, parseCpansaJson, VulnerabilityIndex } from '../../src/index/index.js';
import {
  affectedIntervals,
  cnaContainerOfGroup,
  fromCve,
  fromOsv,
  osvGroupOf,
  osvRecords,
  toAtom,
  toCpansaJson,
  toOsv,
  toRss,
  validateCnaContainer,
  validateOsv,
} from '../../src/publish/index.js';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const records = osvRecords(index);
const tmp = tempDir('exact');

test('no OSV record repeats a version or an affected entry (all 1,004 records of the bundled data)', () => {
  let versions = 0;
  for (const r of records) {
    const seen = new Set<string>();
    for (const a of r.affected!) {
      assert.equal(new Set(a.versions).size, a.versions!.length, `${r.id} ${a.package.name}: a version listed twice`);
      versions += a.versions!.length;
      const key = JSON.stringify([a.package, a.ranges ?? [], a.versions ?? []]);
      assert.ok(!seen.has(key), `${r.id}: affected entry of ${a.package.name} repeated`);
      seen.add(key);
    }
  }
  assert.ok(versions > 10_000, `${versions} versions`);
  // the data lists Amazon-Credentials v1.0.6 and v1.0.10 several times: once each here
  const amazon = records.find((r) => r.id === 'CPANSA-Amazon-Credentials-2026-6146')!.affected![0]!;
  assert.equal(amazon.versions!.filter((v) => v === 'v1.0.10').length, 1);
  // CGI-Session repeats an entry: one affected entry keeps both entries' ranges, and the import gives both back
  const session = records.find((r) => r.id === 'CPANSA-CGI-Session-2026-56016')!;
  assert.equal(session.affected!.length, 1);
  assert.equal((session.affected![0]!.database_specific!.entries as unknown[]).length, 2);
  assert.equal(fromOsv(session, 'session.json').length, 2);
  for (const r of records.filter((x) => x.affected!.some((a) => a.database_specific?.entries))) assert.deepEqual(validateOsv(r), [], r.id);
});

test('a range with no release inside yet has the ECOSYSTEM events that say it (Spoon, > 0.24)', () => {
  const spoon = records.find((r) => r.id === 'CPANSA-Spoon-Cookie-2012-6143')!;
  const entry = spoon.affected!.find((a) => a.package.name === 'Spoon')!;
  assert.deepEqual(entry.versions, []);
  assert.deepEqual(entry.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0.24' }], database_specific: { introduced_exclusive: true } }]);
  assert.deepEqual(validateOsv(spoon), []);
  // read back as the exclusive bound it was
  const back = fromOsv({ ...spoon, database_specific: undefined, affected: [{ ...entry, database_specific: undefined }] }, 'spoon.json');
  assert.deepEqual(back[0]!.affectedVersions, ['>0.24']);
  // no affected entry is left without ranges unless its ranges admit no version at all
  for (const r of records) {
    for (const a of r.affected!) {
      if (a.ranges?.length) continue;
      const own = (a.database_specific?.entries as { affected_versions: string[]; fixed_versions: string[] }[] | undefined) ?? [a.database_specific as { affected_versions: string[]; fixed_versions: string[] }];
      for (const o of own) {
        const adv = fromCpansaRecord({ id: r.id, distribution: a.package.name, affected_versions: o.affected_versions, fixed_versions: o.fixed_versions });
        assert.deepEqual(affectedIntervals(adv), [], `${r.id} ${a.package.name}: no ranges but the ranges admit versions`);
      }
    }
  }
});

test('nothing advisory lint calls an invalid id is published as an alias (CVE-0000-0000)', () => {
  const holder = index.allAdvisories().find((a) => a.cves.includes('CVE-0000-0000'))!;
  assert.ok(holder, 'the bundled data has the placeholder');
  const file = projectPath('data', 'cpansa', 'generated', 'report-0040.yml');
  const lint = lintReports([readReport(readFileSync(file, 'utf8'), file)]);
  assert.ok(lint.some((p) => p.rule === 'invalid-cve' && p.level === 'error' && p.message.includes('CVE-0000-0000')), 'lint flags it');
  for (const r of records) assert.ok(!(r.aliases ?? []).includes('CVE-0000-0000'), r.id);
  const record = toOsv(holder, index);
  assert.deepEqual(record.database_specific!.cves, holder.cves, 'kept as written in database_specific');
});

test('export cpansa-json gives back the release lists it read: numbers, nulls, dual_lived and perl_release', () => {
  const original = JSON.parse(readFileSync(projectPath('data', 'cpansa.json'), 'utf8')) as { dists: Record<string, { versions: unknown[]; advisories: unknown[] }> };
  const exported = JSON.parse(toCpansaJson(index)) as typeof original;
  let numbers = 0;
  let special = 0;
  for (const [name, d] of Object.entries(original.dists)) {
    assert.deepEqual(exported.dists[name]!.versions, d.versions, name);
    assert.deepEqual(exported.dists[name]!.advisories, d.advisories, name);
    for (const v of d.versions as Record<string, unknown>[]) {
      if (typeof v.version === 'number') numbers++;
      if (v.version === null || 'dual_lived' in v || 'perl_release' in v) special++;
    }
  }
  assert.ok(numbers > 0 && special > 0, `${numbers} numeric versions, ${special} perl/dual-lived entries`);
  // and read again it is the same database
  const again = new VulnerabilityIndex(parseCpansaJson(toCpansaJson(index), 'again.json'));
  assert.deepEqual(again.releasesOf('perl'), index.releasesOf('perl'));
});

test('RSS guids are permalinks to the advisory page; a --base-url that is not http(s) is refused', () => {
  const rss = toRss(index.allAdvisories(), { baseUrl: 'https://security.example.org', title: 'T', distribution: 'DBI', modified: '2026-08-16T14:31:00Z' });
  const doc = new XMLParser({ ignoreAttributes: false }).parse(rss) as { rss: { channel: { item: { guid: { '#text': string; '@_isPermaLink': string }; link: string }[] } } };
  const items = doc.rss.channel.item;
  assert.ok(items.length > 5);
  for (const item of items) {
    assert.equal(item.guid['@_isPermaLink'], 'true');
    assert.equal(item.guid['#text'], item.link);
    assert.match(item.link, /^https:\/\/security\.example\.org\/advisories\/CPANSA-/);
  }
  for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://x.example', 'security.example.org', 'https://user:pw@x.example']) {
    const r = cli(['export', 'rss', '--base-url', bad, '--distribution', 'DBI']);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /^cpansec: --base-url .*not an http\(s\) URL/, bad);
    assert.equal(r.stdout, '');
  }
  assert.equal(cli(['export', 'atom', '--base-url', 'http://127.0.0.1:8080', '--distribution', 'DBI', '-o', `${tmp}/dbi.atom`]).status, 0);
});

test('CWE ids: from the advisory file to OSV database_specific.cwe_ids, CVE problemTypes and the feeds, and back', () => {
  const base = index.distribution('Authen-TOTP')!.advisories[0]!;
  const advisory = { ...base, cwes: ['CWE-338', 'CWE-330'] };
  const db = loadBundledDatabase();
  db.distributions.get('Authen-TOTP')!.advisories = [advisory];
  const idx = new VulnerabilityIndex(db);
  const osv = toOsv(advisory, idx);
  assert.deepEqual(osv.database_specific!.cwe_ids, ['CWE-338', 'CWE-330']);
  assert.deepEqual(validateOsv(osv), []);
  assert.deepEqual(fromOsv(osv, 'x.json')[0]!.cwes, ['CWE-338', 'CWE-330']);
  const container = cnaContainerOfGroup(osvGroupOf(advisory, idx), idx);
  assert.deepEqual(
    (container.problemTypes as { descriptions: { cweId: string; type: string }[] }[]).map((p) => p.descriptions[0]!.cweId),
    ['CWE-338', 'CWE-330'],
  );
  assert.deepEqual(validateCnaContainer(container), []);
  assert.deepEqual(fromCve({ cveIds: ['CVE-2026-46473'], cnaContainer: container }, 'x.json')[0]!.cwes, ['CWE-338', 'CWE-330']);
  const atom = toAtom([advisory], { baseUrl: 'https://x.example', title: 'T' });
  assert.match(atom, /Weaknesses: CWE-338, CWE-330/);
  // a GHSA-style OSV record from elsewhere: its cwe_ids are read
  const ghsa = { id: 'GHSA-xxxx-yyyy-zzzz', modified: '2026-01-01T00:00:00Z', details: 'x', affected: [{ package: { ecosystem: 'CPAN', name: 'Foo' }, versions: ['1.0'] }], database_specific: { cwe_ids: ['CWE-79'] } };
  assert.deepEqual(fromOsv(ghsa, 'g.json')[0]!.cwes, ['CWE-79']);
  // the advisory file: `cwes` is a documented extension field, linted
  const bad = readReport('---\ncpansa_version: 2\ndistribution: Foo\nadvisories:\n  - id: CPANSA-Foo-2026-01\n    affected_versions: ["<1"]\n    cves: []\n    cwes: [XSS]\n    description: x\n    reported: 2026-01-01\n    references: []\n', 'foo.yml');
  assert.ok(lintReports([bad]).some((p) => p.rule === 'invalid-cwe' && p.line === 8));
  assert.ok(!lintReports([bad]).some((p) => p.rule === 'unknown-field'));
});
