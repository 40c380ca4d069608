import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseMetaJson, parseMetaYaml } from '../../src/perl/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const v2 = (prereqs: string) => `{\n  "name": "Foo",\n  "version": "1.0",\n  "meta-spec": { "version": 2 },\n  "prereqs": ${prereqs}\n}\n`;

test('wrongly shaped META.json prerequisites are an error naming the file, the key and its line, never "no prerequisites"', () => {
  const cases: [string, RegExp][] = [
    [v2('"x"'), /^META\.json:5: prereqs: expected a mapping of phases, got 'x'$/],
    [v2('[]'), /^META\.json:5: prereqs: expected a mapping of phases, got a list$/],
    [v2('{ "tests": { "requires": { "Test::More": 0 } } }'), /^META\.json:5: prereqs\.tests: unknown phase 'tests'/],
    [v2('{ "runtime": { "require": { "DBI": 0 } } }'), /^META\.json:5: prereqs\.runtime\.require: unknown relationship 'require'/],
    [v2('{ "runtime": 7 }'), /prereqs\.runtime: expected a mapping of relationships, got 7$/],
    [v2('{ "runtime": {\n "requires": ["DBI"] } }'), /^META\.json:6: prereqs\.runtime\.requires: expected a mapping of module names to versions, got a list$/],
    [v2('{ "runtime": { "requires": {\n"DBI": { "version": 1 } } } }'), /^META\.json:6: prereqs\.runtime\.requires\.DBI: expected a version requirement, got a mapping$/],
    ['{ "name": "Foo", "prereqs": { "runtime": { "requires": { "DBI": 0 } } } }', /prereqs: a meta-spec 2 key in a file read as meta-spec 1\.0/],
    ['{ "hello": "world" }', /^META\.json:1: not a META file/],
    ['{ "name": { "x": 1 }, "version": 1 }', /name: expected a string, got a mapping/],
    [v2('{}').replace('"prereqs": {}', '"optional_features": { "x": 1 }'), /optional_features\.x: expected a mapping/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseMetaJson(text, 'META.json'), { code: 'PARSE_ERROR', message }, text);
  }
});

test('wrongly shaped META.yml prerequisites are an error naming the file, the key and its line', () => {
  const cases: [string, RegExp][] = [
    ['name: X\nrequires: 7\n', /^META\.yml:2: requires: expected a mapping of module names to versions, got '7'$/],
    ['name: X\nbuild_requires:\n  - Test::More\n', /^META\.yml:2: build_requires: expected a mapping/],
    ['name: X\nrequires:\n  DBI:\n    v: 1\n', /^META\.yml:3: requires\.DBI: expected a version requirement, got a mapping$/],
    ['foo: bar\nbaz: 1\n', /^META\.yml:1: not a META file/],
    ['- a list\n', /^META\.yml:1: a META file must be a YAML mapping/],
    ['name: X\noptional_features:\n  fast:\n    requires: yes\n', /^META\.yml:4: optional_features\.fast\.requires: expected a mapping/],
    ['name: X\nmeta-spec:\n  version: 2\nprereqs:\n  runtime:\n    requries:\n      DBI: 0\n', /^META\.yml:6: prereqs\.runtime\.requries: unknown relationship/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseMetaYaml(text, 'META.yml'), { code: 'PARSE_ERROR', message }, text);
  }
});

test('custom x_ phases and relationships are skipped; null sections and versions read as none and any', () => {
  const meta = parseMetaJson(v2('{ "x_author": { "requires": { "Dist::Zilla": 6 } }, "runtime": { "x_extra": { "A": 1 }, "requires": { "DBI": null } }, "test": null }'), 'META.json');
  assert.deepEqual(meta.prereqs.map((p) => [p.phase, p.relationship, p.module, p.range]), [['runtime', 'requires', 'DBI', '0']]);
  const yml = parseMetaYaml('name: X\nrequires:\nbuild_requires: ~\nconfigure_requires:\n  ExtUtils::MakeMaker: 6.30\n', 'META.yml');
  assert.deepEqual(yml.prereqs.map((p) => [p.phase, p.module, p.range, p.line]), [['configure', 'ExtUtils::MakeMaker', '6.30', 5]]);
});

test('every prerequisite has its line, in JSON and in YAML, spec 2 and 1.x, features included', () => {
  const json = parseMetaJson(v2('{\n "runtime": {\n  "requires": {\n   "DBI": "1.0",\n   "Moo": "2"\n  }\n },\n "test": {\n  "requires": {\n   "DBI": "1.5"\n  }\n }\n}'), 'META.json');
  assert.deepEqual(json.prereqs.map((p) => `${p.phase} ${p.module} ${p.line}`), ['runtime DBI 8', 'runtime Moo 9', 'test DBI 14']);
  const yml = parseMetaYaml(
    'name: X\nmeta-spec:\n  version: 2\nprereqs:\n  runtime:\n    requires:\n      DBI: 1.0\noptional_features:\n  pg:\n    prereqs:\n      runtime:\n        requires:\n          DBD::Pg: 3\n',
    'META.yml',
  );
  assert.deepEqual(yml.prereqs.map((p) => `${p.feature ?? '-'} ${p.module} ${p.line}`), ['- DBI 7', 'pg DBD::Pg 13']);
});

test('YAML aliases are refused and deep nesting is a parse error at its line, never a stack overflow', () => {
  assert.throws(() => parseMetaYaml('name: X\nbase: &b\n  DBI: 1\nrequires: *b\n', 'META.yml'), {
    code: 'PARSE_ERROR',
    message: /^META\.yml:4: YAML alias \*b is not supported/,
  });
  assert.throws(() => parseMetaYaml(`name: X\nrequires: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'META.yml'), {
    code: 'PARSE_ERROR',
    message: /^META\.yml:2: not valid YAML: nested more than 64 levels deep/,
  });
  const nested = `name: X\nrequires:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`;
  assert.throws(() => parseMetaYaml(nested, 'META.yml'), { code: 'PARSE_ERROR', message: /^META\.yml:\d+: YAML nested more than 64 levels deep/ });
});

test('cpansec audit deps on a wrongly shaped META file exits 2 with one line, never "No known vulnerabilities"', () => {
  const dir = tempDir('meta');
  const cases: [string, string, RegExp][] = [
    ['META.json', v2('"x"'), /META\.json:5: prereqs: expected a mapping of phases/],
    ['META.yml', 'name: X\nrequires: 7\n', /META\.yml:2: requires: expected a mapping/],
    ['MYMETA.yml', 'hello: world\n', /MYMETA\.yml:1: not a META file/],
  ];
  for (const [name, text, message] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const r = cli(['audit', 'deps', file]);
    assert.equal(r.status, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
