import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { parseRange, parseVersion, satisfies } from '../../src/perl/index.js';
import {
  asUri,
  cnaContainerOfGroup,
  cveIdsOf,
  cveRecordOf,
  fromCve,
  osvGroups,
  toCve,
  validateCnaContainer,
  validateCveRecord,
} from '../../src/publish/index.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const groups = osvGroups(index.allAdvisories());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const built = groups.map((g) => {
  try {
    return { group: g, container: cnaContainerOfGroup(g, index) as Json };
  } catch (e) {
    return { group: g, error: (e as Error).message };
  }
});

test('every advisory that can be a CVE record is one, valid against CVE JSON 5.1.1 with the packageURL patch', () => {
  const ok = built.filter((b) => b.container);
  const invalid = ok.flatMap((b) => validateCnaContainer(b.container).map((p) => `${b.group.id}: ${p}`));
  assert.deepEqual(invalid, []);
  let records = 0;
  for (const b of ok) {
    for (const cve of cveIdsOf(b.group)) {
      assert.deepEqual(validateCveRecord(cveRecordOf(b.container!, cve)), [], cve);
      records++;
    }
  }
  const failed = built.filter((b) => b.error);
  // what the data cannot give is named, never made up
  assert.deepEqual(
    [...new Set(failed.map((b) => b.error!.replace(/^\S+: /, '')))].sort(),
    ['cannot build the CVE record: missing affected versions (the ranges admit no version)', 'cannot build the CVE record: missing references'],
  );
  assert.equal(ok.length + failed.length, 1004);
  assert.equal(ok.length, 994);
  // 908 CVE ids less the placeholder CVE-0000-0000, which is no CVE id (advisory lint says so)
  assert.equal(records, 907);
  console.log(`# CVE: ${ok.length} CNA containers valid, ${records} CVE records (one per CVE id) valid, ${failed.length} cannot be built`);
});

test('a container states the affected versions exactly, an exclusive lower bound included', () => {
  const uuid = built.find((b) => b.group.advisories.some((a) => a.affectedVersions.includes('>1.219,<1.227')))!.container!;
  const entry = uuid.affected.find((a: Json) => a.packageName === 'Data-UUID');
  assert.equal(entry.packageURL, 'pkg:cpan/Data-UUID');
  assert.equal(entry.collectionURL, 'https://cpan.org/modules');
  assert.equal(entry.defaultStatus, 'unaffected');
  assert.deepEqual(entry.versions.slice(0, 2), [
    { version: '1.219', status: 'unaffected', versionType: 'custom' },
    { version: '1.219', status: 'affected', versionType: 'custom', lessThan: '1.227' },
  ]);
  const mojo = toCve(index.distribution('Mojolicious')!.advisories.find((a) => a.id === 'CPANSA-Mojolicious-2021-01')!, index);
  assert.deepEqual(mojo.cveIds, ['CVE-2021-47208']);
  assert.deepEqual(mojo.cnaContainer.affected, [
    {
      collectionURL: 'https://cpan.org/modules',
      defaultStatus: 'unaffected',
      packageName: 'Mojolicious',
      packageURL: 'pkg:cpan/Mojolicious',
      product: 'Mojolicious',
      versions: [{ version: '0', status: 'affected', versionType: 'custom', lessThan: '9.11' }],
    },
  ]);
  assert.equal(mojo.cnaContainer.title, 'A bug in format detection can potentially be exploited for a DoS attack');
  assert.deepEqual((mojo.cnaContainer.references as Json[]).map((r) => r.tags), [['issue-tracking'], ['patch']]);
});

test('every container reads back: distribution, CVE, description, references and the same affected releases', () => {
  let compared = 0;
  for (const b of built.filter((x) => x.container)) {
    const lead = b.group.advisories[0]!;
    const ids = cveIdsOf(b.group);
    const back = fromCve({ cveIds: ids, cnaContainer: JSON.parse(JSON.stringify(b.container)) as unknown }, `${b.group.id}.json`, { id: lead.id });
    for (const a of back) {
      assert.equal(a.id, lead.id);
      assert.deepEqual(a.cves, ids);
      assert.equal(a.description, lead.description.trim());
      assert.deepEqual(a.references, [...new Set(lead.references.map(asUri))]);
      const theirs = new Set(b.group.advisories.filter((x) => x.distribution === a.distribution).flatMap((x) => index.affectedReleases(x)));
      const range = parseRange(a.affectedVersions);
      const fixed = parseRange(a.fixedVersions);
      const ours = new Set(
        index
          .releasesOf(a.distribution)
          .map((r) => r.version)
          .filter((v) => {
            try {
              const pv = parseVersion(v);
              return satisfies(range, pv) && !satisfies(fixed, pv);
            } catch {
              return false;
            }
          }),
      );
      assert.deepEqual(ours, theirs, `${b.group.id} ${a.distribution}`);
      compared++;
    }
  }
  assert.ok(compared >= 994, `${compared}`);
});

test('published CVE records (cvelistV5) import as advisories', () => {
  const read = (id: string) => JSON.parse(readFileSync(upstreamPath('data', 'cve5', 'cvelistV5', `${id}.json`), 'utf8')) as unknown;
  const [zlib] = fromCve(read('CVE-2026-3381'), 'CVE-2026-3381.json');
  assert.equal(zlib!.id, 'CPANSA-Compress-Raw-Zlib-2026-3381');
  assert.equal(zlib!.distribution, 'Compress-Raw-Zlib');
  assert.deepEqual(zlib!.affectedVersions, ['<=2.219']);
  assert.deepEqual(zlib!.fixedVersions, []);
  assert.deepEqual(zlib!.cves, ['CVE-2026-3381']);
  assert.equal(zlib!.reported, '2026-03-05');
  assert.equal(zlib!.references.length, 7);
  const [bson] = fromCve(read('CVE-2025-40906'), 'b.json');
  assert.deepEqual(bson!.affectedVersions, ['<=0.8.4']);
  const [captcha] = fromCve(read('CVE-2025-40916'), 'c.json');
  assert.deepEqual(captcha!.affectedVersions, ['==1.05']);
  assert.throws(() => fromCve({ cnaContainer: { affected: [{ vendor: 'x', product: 'y' }], descriptions: [] } }, 'n.json'), /n\.json: the record names no CPAN distribution/);
  assert.throws(() => fromCve({ affected: [{ collectionURL: 'https://cpan.org/modules', packageName: 'X', versions: [] }], descriptions: [{ lang: 'en', value: 'd' }] }, 'i.json'), /i\.json: cannot import: the record has no CVE id/);
  assert.throws(() => fromCve({ dataType: 'CVE_RECORD', cveMetadata: { cveId: 'CVE-1-1', state: 'REJECTED' }, containers: { cna: {} } }, 'r.json'), /rejected/);
  assert.throws(() => fromCve('x', 's.json'), /s\.json: not a CVE JSON 5 record/);
});

test('the patch adds exactly packageURL (CVE 5.2.0) to the official 5.1.1 schema', () => {
  const Ajv = AjvModule.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  formatsModule.default(ajv);
  const official = ajv.compile(JSON.parse(readFileSync(projectPath('data', 'schemas', 'cve', 'CVE_JSON_bundled_5.1.1.json'), 'utf8')));
  const record = cveRecordOf(built.find((b) => b.container)!.container!, 'CVE-2021-47208') as Json;
  assert.equal(official(record), true, 'the official schema lets any packageURL through unchecked');
  assert.deepEqual(validateCveRecord(record), []);
  record.containers.cna.affected[0].packageURL = 'pkg:cpan/Mojolicious@9.10';
  assert.equal(official(record), true);
  assert.match(validateCveRecord(record)[0]!, /^\$\.containers\.cna\.affected\[0\]\.packageURL: must match pattern/);
  record.containers.cna.affected[0].packageURL = 'pkg:cpan/Mojolicious';
  record.containers.cna.references.push({ url: 'not a uri' });
  const problems = validateCveRecord(record);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^\$\.containers\.cna\.references\[\d+\]\.url: must match format "uri"$/);
});
