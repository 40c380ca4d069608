import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CPAN_META_LICENSE_NAMES, cpanPurl, metaLicense, normalizeLicenseName, parseCpanPurl } from '../../src/perl/index.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';

interface PurlTest {
  description: string;
  test_type: 'parse' | 'build' | 'validate';
  input: string | { namespace: string | null; name: string; version: string | null; qualifiers: Record<string, string> | null };
  expected_output: unknown;
  expected_failure: boolean;
}

describe('cpan purls (the purl spec test vectors)', () => {
  const { tests } = JSON.parse(readFileSync(upstreamPath('data', 'purl-cpan', 'cpan-test.json'), 'utf8')) as { tests: PurlTest[] };
  for (const t of tests) {
    it(`${t.test_type}: ${typeof t.input === 'string' ? t.input : JSON.stringify(t.input)} (${t.description})`, () => {
      const run = () => {
        if (t.test_type === 'build') {
          const i = t.input as Exclude<PurlTest['input'], string>;
          const { author, ...rest } = i.qualifiers ?? {};
          return cpanPurl({ name: i.name, ...(i.version ? { version: i.version } : {}), ...(i.namespace ? { namespace: i.namespace } : {}), ...(author ? { author } : {}), ...(Object.keys(rest).length ? { qualifiers: rest } : {}) });
        }
        const p = parseCpanPurl(t.input as string);
        if (t.test_type === 'validate') return cpanPurl({ ...p, author: undefined, qualifiers: p.qualifiers });
        return { type: 'cpan', namespace: p.namespace ?? null, name: p.name, version: p.version ?? null, qualifiers: p.qualifiers ?? null, subpath: null };
      };
      if (t.expected_failure) assert.throws(run, /module name|not a cpan purl/);
      else assert.deepEqual(run(), t.expected_output);
    });
  }

  it('builds the preferred form with the author qualifier', () => {
    assert.equal(cpanPurl({ name: 'Mojolicious', version: '9.35', author: 'sri' }), 'pkg:cpan/Mojolicious@9.35?author=SRI');
    assert.throws(() => cpanPurl({ name: 'Mojo::Base' }), /module name/);
  });
});

describe('CPAN::Meta licence names as SPDX', () => {
  it('maps perl_5 (and the 1.x name perl) to the Perl licence expression', () => {
    assert.equal(metaLicense(['perl_5']).expression, 'Artistic-1.0-Perl OR GPL-1.0-or-later');
    assert.equal(metaLicense(['perl']).expression, 'Artistic-1.0-Perl OR GPL-1.0-or-later');
    assert.equal(normalizeLicenseName('Perl'), 'perl_5');
  });

  it('ORs a list, keeping compound expressions in parentheses', () => {
    assert.equal(metaLicense(['mit', 'apache_2_0']).expression, 'MIT OR Apache-2.0');
    assert.equal(metaLicense(['perl_5', 'mit']).expression, '(Artistic-1.0-Perl OR GPL-1.0-or-later) OR MIT');
  });

  it('leaves the catch-all names and unknown ones unmapped, as CPAN::Meta::Converter does for gpl of no version', () => {
    assert.deepEqual(metaLicense(['gpl']), { names: ['open_source'], unmapped: ['open_source'] });
    assert.deepEqual(metaLicense(['restrictive']).names, ['restricted']);
    assert.deepEqual(metaLicense([]).unmapped, ['unknown']);
    assert.deepEqual(metaLicense(['made_up']).names, ['unknown']);
  });

  it('gives every CPAN::Meta::Spec name a valid SPDX id (checked against the SPDX licence list CycloneDX uses)', () => {
    const ids = new Set((JSON.parse(readFileSync(projectPath('data', 'schemas', 'cyclonedx', 'spdx.schema.json'), 'utf8')) as { enum: string[] }).enum);
    assert.equal(CPAN_META_LICENSE_NAMES.length, 27, 'the 27 names of CPAN::Meta::Spec 2');
    for (const name of CPAN_META_LICENSE_NAMES) {
      const { expression } = metaLicense([name]);
      if (['open_source', 'restricted', 'unrestricted', 'unknown'].includes(name)) {
        assert.equal(expression, undefined, name);
        continue;
      }
      for (const id of expression!.split(/ OR /)) assert.ok(ids.has(id), `${name} -> ${id} is an SPDX licence id`);
    }
  });
});
