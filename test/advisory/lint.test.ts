import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { lintReports, readReport } from '../../src/advisory/index.js';
import { projectPath } from '../helpers/shared.js';

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
