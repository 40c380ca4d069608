/**
 * The validator agrees with the specifications: every JSON test document of the CycloneDX
 * specification for the versions we support (valid-*.json valid, invalid-*.json not), the purl
 * spec's cpan test vectors, and the rules of the SPDX 2.3 text the schema cannot state.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { licenseExpressionProblem, purlProblem, readSbomSource, renderSbom, validateDocument } from '../../src/sbom/index.js';
import { upstreamPath } from '../helpers/paths.js';
import { tarball, workDir } from './fixtures.js';
import { core, DOC, type Obj } from './helpers.js';

const read = (...p: string[]) => JSON.parse(readFileSync(upstreamPath(...p), 'utf8')) as Obj;

describe('the CycloneDX specification test documents', () => {
  for (const version of ['1.4', '1.5', '1.6']) {
    const files = readdirSync(upstreamPath('specs', 'cyclonedx-tests', version)).filter((f) => f.endsWith('.json'));
    it(`${version}: ${files.length} documents, each judged as the specification does`, () => {
      assert.ok(files.length > 40);
      const wrong: string[] = [];
      for (const f of files) {
        const result = validateDocument(read('specs', 'cyclonedx-tests', version, f));
        const valid = result?.valid ?? false;
        if (valid !== f.startsWith('valid-')) wrong.push(`${f}: ${valid ? 'valid' : JSON.stringify(result?.problems.slice(0, 2))}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('collects the bom-refs of nested services (the SaaSBOM example)', () => {
    const doc = read('specs', 'cyclonedx-tests', '1.6', 'valid-saasbom-1.6.json');
    assert.equal(validateDocument(doc)!.valid, true);
    const broken = structuredClone(doc);
    (broken.dependencies as Obj[])[1]!.dependsOn.push('ms-99.example.com');
    assert.deepEqual(
      validateDocument(broken)!.problems.map((p) => p.message),
      ["refers to no bom-ref in the document: 'ms-99.example.com'"],
    );
  });
});

describe('purls: packageurl-js and the cpan type rules', () => {
  interface PurlTest {
    test_type: string;
    input: unknown;
    expected_failure: boolean;
  }
  const { tests } = read('data', 'purl-cpan', 'cpan-test.json') as { tests: PurlTest[] };
  for (const t of tests.filter((x) => x.test_type !== 'build' && typeof x.input === 'string')) {
    it(`${t.input as string} is ${t.expected_failure ? 'invalid' : 'valid'}`, () => {
      const why = purlProblem(t.input as string);
      if (t.expected_failure) assert.match(why ?? '', /module name/);
      else assert.equal(why, undefined);
    });
  }

  it('reports a module purl in a document at its place', () => {
    const doc = read('specs', 'cyclonedx-tests', '1.6', 'valid-bom-1.6.json');
    (doc.components as Obj[])[0]!.purl = 'pkg:cpan/LWP::UserAgent@6.76';
    const r = validateDocument(doc)!;
    assert.deepEqual(r.problems, [{ path: '$.components[0].purl', message: "not a valid cpan purl: 'LWP::UserAgent' is a module name, the name must be a distribution name" }]);
  });
});

describe('licence expressions (spdx-expression-parse, spdx-license-ids)', () => {
  it('accepts known ids, LicenseRef-s and exceptions; names an unknown id', () => {
    for (const ok of ['MIT', 'Artistic-1.0-Perl OR GPL-1.0-or-later', 'GPL-2.0-only WITH Classpath-exception-2.0', 'LicenseRef-CPAN-Meta-open-source', '(MIT AND BSD-3-Clause)']) assert.equal(licenseExpressionProblem(ok), undefined, ok);
    assert.match(licenseExpressionProblem('perl_5')!, /'perl_5' is not an SPDX licence id/);
    assert.match(licenseExpressionProblem('MIT OR')!, /incomplete/);
  });

  it('checks CycloneDX expressions and SPDX declared licences', () => {
    const doc = read('specs', 'cyclonedx-tests', '1.6', 'valid-license-expression-1.6.json');
    assert.equal(validateDocument(doc)!.valid, true);
    (doc.components as Obj[])[0]!.licenses = [{ expression: 'Artistic-1.0-Perl OR GPL-1+' }];
    assert.deepEqual(validateDocument(doc)!.problems.map((p) => p.path), ['$.components[0].licenses[0].expression']);
  });
});

describe('SPDX 2.3: what the text says and the schema does not', () => {
  let spdx: Obj;
  before(async () => {
    const file = tarball(workDir(), 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA');
    spdx = renderSbom(await readSbomSource(file, { core }), { ...DOC, format: 'spdx' }) as Obj;
    assert.equal(validateDocument(spdx)!.valid, true);
  });

  it('checksum lengths, dataLicense, created, licence expressions, purls', () => {
    const bad = structuredClone(spdx);
    bad.dataLicense = 'CC-BY-4.0';
    bad.creationInfo.created = '2026-11-24 12:00:00';
    const root = (bad.packages as Obj[])[0]!;
    root.checksums[0].checksumValue = root.checksums[0].checksumValue.slice(2);
    root.checksums[1].checksumValue = root.checksums[1].checksumValue.toUpperCase();
    root.licenseDeclared = 'perl_5';
    root.externalRefs[0].referenceLocator = 'pkg:cpan/Plack::Request@1.0050';
    const problems = validateDocument(bad)!.problems;
    const at = (p: string) => problems.find((x) => x.path === p)?.message;
    assert.match(at('$.dataLicense')!, /CC0-1\.0/);
    assert.match(at('$.creationInfo.created')!, /YYYY-MM-DDThh:mm:ssZ/);
    assert.match(at('$.packages[0].checksums[0].checksumValue')!, /SHA256 checksum has 64 hex digits, not 62/);
    assert.match(at('$.packages[0].checksums[1].checksumValue')!, /lower-case/);
    assert.match(at('$.packages[0].licenseDeclared')!, /'perl_5'/);
    assert.match(at('$.packages[0].externalRefs[0].referenceLocator')!, /module name/);
  });
});
