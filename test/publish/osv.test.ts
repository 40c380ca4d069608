import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020Module from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import yazl from 'yazl';
import type { Advisory } from '../../src/advisory/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { parseVersion } from '../../src/perl/index.js';
import {
  fromOsv,
  osvGroups,
  osvRecords,
  osvZip,
  readJsonZip,
  toOsv,
  validateOsv,
  type OsvRecord,
  type OsvAffected,
  type OsvRange,
} from '../../src/publish/index.js';
import { projectPath } from '../helpers/paths.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const all = index.allAdvisories();
const records = osvRecords(index);

/** OSV's evaluation of one range over a version, with version.pm's order (each of our ranges is one interval). */
function inRange(range: OsvRange, version: string): boolean {
  const v = parseVersion(version);
  let affected = false;
  for (const e of range.events) {
    // a range marked introduced_exclusive starts just above its `introduced` (no release inside yet)
    if ('introduced' in e) affected = e.introduced === '0' || v.compare(parseVersion(e.introduced)) >= (range.database_specific?.introduced_exclusive ? 1 : 0);
    else if ('fixed' in e) affected = affected && v.compare(parseVersion(e.fixed)) < 0;
    else if ('last_affected' in e) affected = affected && v.compare(parseVersion(e.last_affected)) <= 0;
  }
  return affected;
}

test('every exported OSV record is valid against the official schema with the CPAN patch', () => {
  const invalid = records.flatMap((r) => validateOsv(r).map((p) => `${r.id}: ${p}`));
  assert.deepEqual(invalid, []);
  // 2,061 entries with 1,001 distinct ids give 1,004 records (three ids name two vulnerabilities each)
  assert.equal(all.length, 2061);
  assert.equal(records.length, 1004);
  assert.equal(new Set(records.map((r) => r.id)).size, records.length);
  // an affected entry merged from several keeps each one's range strings in database_specific.entries
  const entriesOf = (a: OsvAffected) => (Array.isArray(a.database_specific?.entries) ? (a.database_specific.entries as unknown[]).length : 1);
  assert.equal(records.reduce((n, r) => n + r.affected!.reduce((m, a) => m + entriesOf(a), 0), 0), all.length);
  console.log(`# OSV: ${records.length} records, all valid (${all.length} advisory entries)`);
});

test('the patch adds exactly the CPAN ecosystem and the CPANSA prefix to the official schema', () => {
  const Ajv2020 = Ajv2020Module.default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  formatsModule.default(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(projectPath('data', 'schemas', 'osv', 'schema.json'), 'utf8')));
  const mojo = records.find((r) => r.id === 'CPANSA-Mojolicious-2022-03')!;
  assert.equal(official(mojo), false, 'the official schema knows no CPAN ecosystem');
  assert.deepEqual(new Set(official.errors!.map((e) => e.instancePath)), new Set(['/id', '/affected/0/package/ecosystem']));
  assert.deepEqual(validateOsv(mojo), []);
  // nothing else is loosened: another unknown ecosystem and another prefix still fail, with paths
  const bad = { ...mojo, id: 'PERLSA-1', affected: [{ ...mojo.affected![0]!, package: { ecosystem: 'CPANX', name: 'Mojolicious' } }] };
  const problems = validateOsv(bad);
  assert.ok(problems.some((p) => p.startsWith('$.id: must match pattern')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('$.affected[0].package.ecosystem: must match pattern')), problems.join('\n'));
  assert.ok(validateOsv({ id: 'CPANSA-X-1' }).some((p) => p.includes("must have required property 'modified'")));
});

test('versions[] lists exactly the released versions the index says are affected, and the ranges agree', () => {
  let checked = 0;
  const groups = new Map(osvGroups(all).map((g) => [g.id, g]));
  for (const r of records) {
    const group = groups.get(r.id)!;
    group.advisories.forEach((advisory) => {
      const own = { affected_versions: advisory.affectedVersions, fixed_versions: advisory.fixedVersions };
      const entry = r.affected!.find(
        (e) =>
          e.package.name === advisory.distribution &&
          (Array.isArray(e.database_specific?.entries) ? (e.database_specific.entries as unknown[]) : [e.database_specific]).some((d) => isDeepStrictEqual(d, own)),
      )!;
      assert.ok(entry, `${r.id} ${advisory.distribution}`);
      assert.equal(entry.package.purl, `pkg:cpan/${advisory.distribution}`);
      // a version string uploaded twice is listed once
      assert.deepEqual(entry.versions, [...new Set(index.affectedReleases(advisory))], `${r.id} ${advisory.distribution}`);
      for (const release of index.releasesOf(advisory.distribution)) {
        let readable = true;
        try {
          parseVersion(release.version);
        } catch {
          readable = false;
        }
        if (!readable) continue;
        const byRanges = (entry.ranges ?? []).some((range) => inRange(range, release.version));
        assert.equal(byRanges, entry.versions!.includes(release.version), `${r.id} ${release.version}`);
        checked++;
      }
    });
  }
  assert.ok(checked > 20_000, `${checked} release checks`);
});

test('ids: repeated entries become one record, a reused id is split with a stable suffix', () => {
  const ids = new Set(records.map((r) => r.id));
  const svn = records.find((r) => r.id === 'CPANSA-Alien-SVN-2016-2167-subversion')!;
  assert.equal(svn.affected!.length, 7);
  for (const id of [
    'CPANSA-Crypt-JWT-2019-01-CVE-2019-1010263',
    'CPANSA-Crypt-JWT-2019-01-CVE-2019-1010161',
    'CPANSA-Email-Address-2014-01-CVE-2014-0477',
    'CPANSA-Email-Address-2014-01-CVE-2018-12558',
    'CPANSA-ExtUtils-ParseXS-2016-1238',
    'CPANSA-ExtUtils-ParseXS-2016-1238-perl',
  ]) {
    assert.ok(ids.has(id), id);
  }
  assert.ok(!ids.has('CPANSA-Crypt-JWT-2019-01'));
  const jwt = records.find((r) => r.id === 'CPANSA-Crypt-JWT-2019-01-CVE-2019-1010263')!;
  assert.equal(jwt.database_specific?.cpansa_id, 'CPANSA-Crypt-JWT-2019-01');
  // one vulnerability in two distributions that describe it alike stays one record
  const webdyne = records.find((r) => r.id === 'CPANSA-WebDyne-2026-5084')!;
  assert.deepEqual(webdyne.affected!.map((a) => a.package.name), ['WebDyne', 'WebDyne-Session']);
  // toOsv of any entry of a group gives the group's record, also for a copy of the entry
  const entry = index.distribution('Alien-SVN')!.advisories.find((a) => a.id === svn.id)!;
  assert.deepEqual(toOsv(entry, index), svn);
  assert.deepEqual(toOsv(structuredClone(entry), index), svn);
});

test('an advisory as an OSV record: fields, dates, aliases, references, database_specific', () => {
  const r = records.find((x) => x.id === 'CPANSA-Mojolicious-2021-01')!;
  assert.equal(r.schema_version, '1.7.5');
  assert.equal(r.modified, '2026-08-16T14:31:00Z', 'modified is the database generation time (meta.epoch)');
  assert.equal(r.published, '2021-03-16T00:00:00Z');
  assert.deepEqual(r.aliases, ['CVE-2021-47208', 'GHSA-fv9f-467f-xm3f']);
  assert.equal(r.summary, 'A bug in format detection can potentially be exploited for a DoS attack.');
  assert.deepEqual(r.affected![0]!.ranges, [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.11' }] }]);
  assert.deepEqual(r.affected![0]!.database_specific, { affected_versions: ['<9.11'], fixed_versions: ['>=9.11'] });
  assert.deepEqual(
    r.references!.map((x) => x.type),
    ['REPORT', 'FIX'],
  );
  const exclusive = records.find((x) => x.affected!.some((a) => ((a.database_specific!.affected_versions as string[] | undefined) ?? []).includes('>1.219,<1.227')))!;
  const uuid = exclusive.affected!.find((a) => a.package.name === 'Data-UUID')!;
  // `> 1.219` cannot be an inclusive `introduced`: the first release above it stands for it
  assert.deepEqual(uuid.ranges![0]!.events, [{ introduced: uuid.versions![0]! }, { fixed: '1.227' }]);
  assert.ok(parseVersion(uuid.versions![0]!).compare(parseVersion('1.219')) > 0);
  const renamed = records.find((x) => x.id === 'CPANSA-CPAN-2023-31484')!;
  assert.ok(renamed.aliases!.includes('CPANSA-CPAN-2023-01'));
  assert.deepEqual(renamed.database_specific!.previous_id, ['CPANSA-CPAN-2023-01']);
  const modified = toOsv(index.distribution('DBI')!.advisories[0]!, index, { modified: '2026-11-24T10:00:00Z' });
  assert.equal(modified.modified, '2026-11-24T10:00:00Z');
  assert.throws(() => toOsv(all[0]!, index, { modified: 'yesterday' }), /not an RFC 3339 UTC timestamp/);
  const noMeta = new VulnerabilityIndex({ ...index.db, meta: {} });
  assert.throws(() => toOsv(all[0]!, noMeta), /no modified time/);
});

test('every advisory round-trips through OSV (duplicate references are published once)', () => {
  const back = records.flatMap((r) => fromOsv(JSON.parse(JSON.stringify(r)) as unknown, `${r.id}.json`));
  assert.equal(back.length, all.length);
  const key = (a: Advisory) => JSON.stringify([a.id, a.distribution, a.affectedVersions, a.fixedVersions, a.description]);
  const pending = new Map<string, Advisory[]>();
  for (const a of back) pending.set(key(a), [...(pending.get(key(a)) ?? []), a]);
  for (const a of all) {
    const b = pending.get(key(a))?.shift();
    assert.ok(b, `${a.id} (${a.distribution}) did not come back`);
    assert.deepEqual(b, { ...a, references: [...new Set(a.references)] });
  }
});

test('an OSV record from elsewhere is read from its standard fields', () => {
  const foreign = {
    id: 'GHSA-xxxx-yyyy-zzzz',
    modified: '2026-01-01T00:00:00Z',
    published: '2025-12-24T10:00:00Z',
    aliases: ['CVE-2025-1234', 'PYSEC-1'],
    details: 'Something is wrong.',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      { package: { ecosystem: 'npm', name: 'left-pad' } },
      {
        package: { ecosystem: 'CPAN', name: 'Foo-Bar' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.5' }] }],
      },
      { package: { ecosystem: 'Other', name: 'x', purl: 'pkg:cpan/Baz' }, versions: ['2.0', '2.1'] },
    ],
    references: [{ type: 'WEB', url: 'https://example.org/a' }],
  };
  const [foo, baz] = fromOsv(foreign, 'f.json');
  assert.equal(foo!.distribution, 'Foo-Bar');
  assert.deepEqual(foo!.affectedVersions, ['>=1.0,<1.5']);
  assert.deepEqual(foo!.fixedVersions, ['>=1.5']);
  assert.deepEqual(foo!.cves, ['CVE-2025-1234']);
  assert.equal(foo!.reported, '2025-12-24');
  assert.deepEqual(foo!.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: undefined }]);
  assert.deepEqual(foo!.extra, { osv_aliases: ['PYSEC-1'] });
  assert.equal(baz!.distribution, 'Baz');
  assert.deepEqual(baz!.affectedVersions, ['==2.0', '==2.1']);
  assert.throws(() => fromOsv({ id: 'X', affected: [{ package: { ecosystem: 'npm', name: 'y' } }] }, 'x.json'), /x\.json: OSV record X names no CPAN package/);
  assert.throws(() => fromOsv([], 'y.json'), /y\.json: not an OSV record/);
});

test('all.zip holds one <id>.json per record, reads back equal, and is the same bytes each time', async () => {
  const some = records.slice(0, 50);
  const zip = await osvZip(some);
  assert.deepEqual(zip, await osvZip([...some].reverse()));
  const entries = await readJsonZip(zip, 'all.zip');
  assert.deepEqual([...entries.keys()], some.map((r) => `${r.id}.json`).sort());
  for (const r of some) assert.deepEqual(JSON.parse(entries.get(`${r.id}.json`)!) as OsvRecord, r);
});

test('a zip with nested or oversize entries is refused', async () => {
  const build = (name: string, body: Buffer) =>
    new Promise<Buffer>((resolve) => {
      const z = new yazl.ZipFile();
      z.addBuffer(body, name);
      z.end();
      const chunks: Buffer[] = [];
      z.outputStream.on('data', (c: Buffer) => chunks.push(c));
      z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  await assert.rejects(readJsonZip(await build('a/b.json', Buffer.from('{}')), 'n.zip'), /n\.zip: entry 'a\/b\.json' is not a plain file name/);
  await assert.rejects(readJsonZip(await build('big.json', Buffer.alloc(2048, 32)), 'b.zip', { maxEntryBytes: 1024 }), /larger than 1024 bytes/);
  await assert.rejects(readJsonZip(Buffer.from('not a zip'), 'c.zip'), /c\.zip: not a zip file/);
});
