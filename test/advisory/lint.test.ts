import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { countByRule, lintReports, readReport, type LintProblem } from '../../src/advisory/index.js';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const file = projectPath('test', 'fixtures', 'advisory', 'CPANSA-Bad-Dist.yml');
const problems = lintReports([readReport(readFileSync(file, 'utf8'), 'CPANSA-Bad-Dist.yml')], { knownDistributions: new Set(['Other']) });
const find = (rule: string) => problems.filter((p) => p.rule === rule);

test('each problem is reported with file and line', () => {
  assert.deepEqual(
    find('invalid-range').map((p) => `${p.file}:${p.line}`),
    ['CPANSA-Bad-Dist.yml:17'],
  );
  assert.equal(find('duplicate-id')[0]!.line, 25);
  assert.match(find('duplicate-id')[0]!.message, /first in CPANSA-Bad-Dist\.yml:12/);
  assert.equal(find('invalid-cve')[0]!.line, 19);
  assert.equal(find('invalid-date')[0]!.line, 27);
});

test('odd spellings, free-text severities, id mismatches and unknown distributions are flagged', () => {
  assert.equal(find('single-equals').length, 1);
  assert.equal(find('free-text-severity')[0]!.message.includes("'Moderate'"), true);
  assert.equal(find('id-mismatch').length, 1);
  assert.equal(find('not-a-list').length, 1, 'affected_versions as a plain string');
  assert.equal(find('unknown-distribution').length, 1);
  assert.equal(find('missing-field').length, 0);
});

test('a YAML syntax error is a parse error naming the line', () => {
  assert.throws(() => readReport('advisories:\n  - id: [unclosed\n', 'x.yml'), { code: 'PARSE_ERROR', message: /^x\.yml:\d+: YAML error/ });
  assert.throws(() => readReport('- just a list\n', 'y.yml'), { message: /y\.yml:1: an advisory report must be a YAML mapping/ });
});

test('versions keep their spelling when read from YAML (1.10 is not 1.1)', () => {
  const r = readReport('advisories:\n- affected_versions:\n  - 1.10\n  id: X\ndistribution: D\n', 'v.yml');
  assert.deepEqual(r.advisories[0]!.affectedVersions, ['1.10']);
});

test('one advisory split by range over several entries is a warning to merge, not a duplicate id', () => {
  const entry = (range: string) => `- affected_versions:\n  - '${range}'\n  cves: [CVE-2020-7676]\n  description: x\n  id: CPANSA-Zonemaster-GUI-2020-7676-angular\n  references: []\n  reported: 2020-06-08\n`;
  const a = readReport(`advisories:\n${entry('>=1.0.7,<=1.0.11')}distribution: Zonemaster-GUI\n`, 'report-0001.yml');
  const b = readReport(`advisories:\n${entry('>=1.1.0,<=1.2.0')}distribution: Zonemaster-GUI\n`, 'report-0002.yml');
  const c = readReport(`advisories:\n${entry('<1').replace('description: x', 'description: other')}distribution: Zonemaster-GUI\n`, 'report-0003.yml');
  const found = lintReports([a, b, c]);
  assert.deepEqual(
    found.filter((p) => p.rule === 'split-advisory' || p.rule === 'duplicate-id').map((p) => `${p.file} ${p.rule}`),
    ['report-0002.yml split-advisory', 'report-0003.yml duplicate-id'],
  );
});

const entry = (fields: string) => `advisories:\n- affected_versions: ['<1.0']\n  cves: []\n  description: x\n  references: []\n  reported: 2020-01-01\n${fields}distribution: Foo\n`;
const lintOne = (text: string) => lintReports([readReport(text, 'CPANSA-Foo.yml')]);

test('ids not of the form CPANSA-<Dist>-YYYY-NN are an id-format warning; the generated form is named as such', () => {
  const rule = (id: string, cves = '[]') => lintOne(entry(`  id: ${id}\n`).replace('cves: []', `cves: ${cves}`)).filter((p) => p.rule === 'id-format');
  assert.deepEqual(rule('CPANSA-Foo-2020-01'), []);
  assert.deepEqual(rule('CPANSA-Foo-2020-14040'), []);
  const generated = rule('CPANSA-Foo-2018-14040-bootstrap', '[CVE-2018-14040]');
  assert.equal(generated.length, 1);
  assert.equal(generated[0]!.level, 'warning');
  assert.equal(generated[0]!.line, 7);
  assert.match(generated[0]!.message, /generated form CPANSA-<Dist>-<CVE year>-<CVE number>-<library> \(util\/invert-third-party\.pl\)/);
  for (const id of ['CPANSA-Foo-2020-1', 'CPANSA-Foo-20230714-01', 'CPANSA--2026-5083', 'CPANSA-Foo-X-CVE-2014-0001-lib', 'CPANSA-Foo-2018-14040-bootstrap']) {
    assert.match(rule(id)[0]?.message ?? '', /does not follow CPANSA-<Dist>-YYYY-NN/, id);
  }
});

test('control characters in advisory text are an error at their line; newlines only where text has layout', () => {
  const found = lintOne(
    entry('  id: CPANSA-Foo-2020-01\n  comment: "two\\nlines"\n').replace('description: x', 'description: "clear \\e[2J and \\e]8;;https://evil/\\a link"').replace('references: []', 'references:\n  - "https://ok/"\n  - "https://x/\\nInjected: line"\n  - "https://y/\\u202e"'),
  ).filter((p) => p.rule === 'control-character');
  assert.deepEqual(found.map((p) => [p.level, p.line, p.message.replace(/^CPANSA-Foo-2020-01: /, '')]), [
    ['error', 4, "'description' holds control characters (\\x1B \\x07): a terminal would run them"],
    ['error', 7, "'references' holds control characters (\\x0A): a terminal would run them"],
    ['error', 8, "'references' holds control characters (\\u202E): a terminal would run them"],
  ]);
});

test('fields of the wrong kind are an invalid-type error at their line', () => {
  const found = lintOne(entry('  id: CPANSA-Foo-2020-01\n  fixed_versions:\n    gte: 1.0\n  description: [a, b]\n').replace('  description: x\n', '')).filter((p) => p.rule === 'invalid-type');
  assert.deepEqual(found.map((p) => [p.line, p.message.replace(/^CPANSA-Foo-2020-01: /, '')]), [
    [7, "'fixed_versions' must be a list of strings, got a mapping"],
    [9, "'description' must be a string, got a list"],
  ]);
});

test('the bundled data: 1,344 ids of another form, 21 that name another distribution, no control characters', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.yml$/.test(e.name) ? [path.join(dir, e.name)] : []));
  const reports = walk(projectPath('data', 'cpansa')).map((f) => readReport(readFileSync(f, 'utf8'), f));
  const counts = countByRule(lintReports(reports));
  assert.equal(counts.get('id-format'), 1344);
  assert.equal(counts.get('id-mismatch'), 21);
  assert.equal(counts.get('control-character'), undefined);
  assert.equal(counts.get('invalid-type'), undefined);
});

test('report files with aliases or deep nesting are parse errors at their line', () => {
  assert.throws(() => readReport(`advisories:\n- &a\n  id: X\n- *a\ndistribution: Foo\n`, 'a.yml'), { code: 'PARSE_ERROR', message: /^a\.yml:4: YAML alias \*a is not supported/ });
  assert.throws(() => readReport(`advisories: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'd.yml'), { code: 'PARSE_ERROR', message: /^d\.yml:1: YAML error: nested more than 64 levels deep/ });
});

test('advisory lint --db: unknown distributions are those without releases in that database', () => {
  const dir = tempDir('lint');
  const reports = path.join(dir, 'reports');
  mkdirSync(reports);
  writeFileSync(path.join(reports, 'CPANSA-Foo.yml'), entry('  id: CPANSA-Foo-2020-01\n'));
  writeFileSync(path.join(reports, 'CPANSA-Bar.yml'), entry('  id: CPANSA-Bar-2020-01\n').replace('distribution: Foo', 'distribution: Bar'));
  const db = path.join(dir, 'db.json');
  writeFileSync(db, JSON.stringify({ dists: { Foo: { advisories: [], versions: [{ version: '1.0' }] } }, module2dist: {} }));
  const unknown = (args: string[]) => {
    const r = cli(['advisory', 'lint', ...args, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { problems: LintProblem[] }).problems.filter((p) => p.rule === 'unknown-distribution').map((p) => path.basename(p.file));
  };
  assert.deepEqual(unknown([reports, '--db', db]), ['CPANSA-Bar.yml']);
  // the bundled release data knows neither
  assert.deepEqual(unknown([reports]), ['CPANSA-Bar.yml', 'CPANSA-Foo.yml']);
  // --db a directory: its files are linted, its releases.json tells the releases
  writeFileSync(path.join(reports, 'releases.json'), JSON.stringify({ dists: { Bar: { versions: ['0.1'] } } }));
  assert.deepEqual(unknown(['--db', reports]), ['CPANSA-Foo.yml']);
  rmSync(path.join(reports, 'releases.json'));
  assert.deepEqual(unknown(['--db', reports]), []);
  assert.match(cli(['advisory', 'lint', '--db', reports]).stdout, /no release data: unknown distributions not checked/);
  assert.match(cli(['advisory', 'lint', reports, '--db', path.join(dir, 'missing.json')]).stderr, /^cpansec: .*missing\.json: no such database/);
});

test('advisory lint prints the control characters of a file as escapes', () => {
  const dir = tempDir('lint');
  writeFileSync(path.join(dir, 'CPANSA-Foo.yml'), entry('  id: CPANSA-Foo-2020-01\n  severity: "\\e[2Jhigh"\n'));
  const r = cli(['advisory', 'lint', dir]);
  assert.equal(r.status, 1);
  assert.ok(!r.stdout.includes('\u001b'));
  assert.match(r.stdout, /severity '\\x1B\[2Jhigh' is not one of/);
});
