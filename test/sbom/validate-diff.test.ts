import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { coreInfo } from '../../src/perl/index.js';
import { diffSboms, diffToText, isEmptyDiff, readSbomSource, renderSbom, validateDocument } from '../../src/sbom/index.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';
import { tarball, workDir } from './fixtures.js';
import { DOC, type Obj } from './helpers.js';

let dir: string;
let cdx: Obj;
let spdx: Obj;

before(async () => {
  dir = workDir();
  const sbom = await readSbomSource(tarball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA'), { core: (m) => coreInfo(m) });
  cdx = renderSbom(sbom, { ...DOC, format: 'cyclonedx' }) as Obj;
  spdx = renderSbom(sbom, { ...DOC, format: 'spdx' }) as Obj;
});
after(() => rmSync(dir, { recursive: true, force: true }));
const clone = <T>(x: T): T => structuredClone(x);

describe('the bundled schemas are the official ones', () => {
  it('data/schemas holds the official files (SHA-256 of the upstream files) and the CycloneDX library\'s, unchanged', () => {
    const sums = readFileSync(upstreamPath('SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/));
    const ours: Record<string, string> = { 'specs/cyclonedx/': 'cyclonedx', 'specs/spdx/': 'spdx', 'specs/osv-schema/': 'osv', 'specs/cve-schema/': 'cve' };
    assert.equal(sums.length, 6);
    for (const [sum, file] of sums as [string, string][]) {
      const dir = Object.keys(ours).find((d) => file.startsWith(d))!;
      const local = projectPath('data', 'schemas', ours[dir]!, file.slice(dir.length));
      assert.equal(createHash('sha256').update(readFileSync(local)).digest('hex'), sum, local);
    }
    const same = (ours: string, theirs: string) => assert.equal(readFileSync(projectPath('data', 'schemas', ours), 'utf8'), readFileSync(theirs, 'utf8'), ours);
    const lib = projectPath('node_modules', '@cyclonedx', 'cyclonedx-library', 'res', 'schema');
    for (const v of ['1.4', '1.5']) same(`cyclonedx/bom-${v}.schema.json`, path.join(lib, `bom-${v}.SNAPSHOT.schema.json`));
  });
});

describe('validation', () => {
  it('reports each schema problem with its JSON path', () => {
    const bad = clone(cdx);
    bad.components[2].scope = 'sometimes';
    bad.components[3].bogus = 1;
    delete bad.components[4].name;
    bad.metadata.component.hashes[0].content = 'xyz';
    const r = validateDocument(bad)!;
    assert.equal(r.valid, false);
    const paths = r.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(paths.some((p) => p.startsWith('$.components[2].scope: must be one of: required, optional, excluded')), paths.join('\n'));
    assert.ok(paths.includes('$.components[3].bogus: property not allowed by the schema'), paths.join('\n'));
    assert.ok(paths.includes("$.components[4]: missing required property 'name'"), paths.join('\n'));
    assert.ok(paths.some((p) => p.startsWith('$.metadata.component.hashes[0].content:')), paths.join('\n'));
  });

  it('checks that dependency and vulnerability refs point at components (CycloneDX)', () => {
    const bad = clone(cdx);
    bad.dependencies[0].dependsOn = ['perl-module:Nowhere'];
    bad.components[1]['bom-ref'] = bad.components[0]['bom-ref'];
    const r = validateDocument(bad)!;
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(text, /\$\.dependencies\[0\]\.dependsOn\[0\]: refers to no bom-ref in the document: 'perl-module:Nowhere'/);
    assert.match(text, /\$\.components\[1\]\["bom-ref"\]: bom-ref '.*' is also used at \$\.components\[0\]/);
  });

  it('checks SPDX rules the schema cannot: relationship targets, unique ids, LicenseRefs, the namespace', () => {
    const bad = clone(spdx);
    bad.relationships.push({ spdxElementId: 'SPDXRef-Package-Ghost', relationshipType: 'DEPENDS_ON', relatedSpdxElement: bad.packages[0].SPDXID });
    bad.packages[2].SPDXID = bad.packages[1].SPDXID;
    bad.packages[3].licenseDeclared = 'LicenseRef-Mine';
    bad.documentNamespace = 'not a uri#x';
    const r = validateDocument(bad)!;
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    assert.match(text, /\$\.relationships\[\d+\]\.spdxElementId: refers to no element of the document: 'SPDXRef-Package-Ghost'/);
    assert.match(text, /\$\.packages\[2\]\.SPDXID: SPDXID '.*' is also used at \$\.packages\[1\]\.SPDXID/);
    assert.match(text, /\$\.packages\[3\]\.licenseDeclared: LicenseRef-Mine is not defined in hasExtractedLicensingInfos/);
    assert.match(text, /\$\.documentNamespace: must be an absolute URI without a # part/);
    const missing = clone(spdx);
    delete missing.creationInfo;
    assert.ok(validateDocument(missing)!.problems.some((p) => p.path === '$' && /creationInfo/.test(p.message)));
  });
});

describe('diff', () => {
  it('finds added, removed and changed components, across formats', () => {
    const newer = clone(cdx);
    newer.components = newer.components.filter((c: Obj) => c.name !== 'Try::Tiny');
    newer.components.push({ type: 'library', name: 'Foo-Bar', version: '1.0', purl: 'pkg:cpan/Foo-Bar@1.0', 'bom-ref': 'x', licenses: [{ expression: 'MIT' }] });
    const uri = newer.components.find((c: Obj) => c.name === 'URI');
    uri.version = '5.28';
    newer.metadata.component.version = '1.0051';
    const d = diffSboms(cdx, newer);
    assert.deepEqual(d.added.map((c) => c.name), ['Foo-Bar']);
    assert.deepEqual(d.removed.map((c) => c.name), ['Try::Tiny']);
    assert.deepEqual(d.changed.map((c) => [c.from.name, c.changes, c.to.version]), [['URI', ['version'], '5.28']]);
    assert.deepEqual(d.root?.changes, ['version']);
    const text = diffToText(d);
    assert.match(text, /Added \(1\)\n {2}\+ Foo-Bar 1\.0 \[MIT\]/);
    assert.match(text, /Removed \(1\)\n {2}- Try::Tiny/);
    assert.match(text, /~ URI: none -> 5\.28/);
    // the same release as SPDX and as CycloneDX: nothing differs
    assert.ok(isEmptyDiff(diffSboms(cdx, spdx)), JSON.stringify(diffSboms(cdx, spdx)));
  });

  it('sees a licence change', () => {
    const newer = clone(spdx);
    newer.packages[0].licenseDeclared = 'MIT';
    const d = diffSboms(spdx, newer);
    assert.deepEqual(d.root?.changes, ['license']);
  });
});
