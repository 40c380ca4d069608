import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDependencies, parseIgnoreFile, toJsonReport, toSarif, type Dependency } from '../../src/audit/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { compareVersions } from '../../src/perl/index.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const at = (file: string, line: number) => ({ file, line });
const dist = (name: string, version: string, line = 1): Dependency => ({ name, kind: 'distribution', version, source: at('cpanfile.snapshot', line) });
const mod = (name: string, range: string, line = 1): Dependency => ({ name, kind: 'module', range, source: at('cpanfile', line) });

test('an exact version is affected when inside affected and outside fixed, never "that version or later"', () => {
  const r = auditDependencies([dist('Mojolicious', '9.30'), dist('Mojolicious', '9.31')], index, { today: '2026-11-24' });
  const [old, fixed] = r.findings;
  assert.ok(old!.advisories.some((a) => a.advisory.id === 'CPANSA-Mojolicious-2022-03'));
  assert.ok(!fixed!.advisories.some((a) => a.advisory.id === 'CPANSA-Mojolicious-2022-03'), '9.31 is the fix');
});

test('a version the database does not list is still checked against the ranges', () => {
  assert.ok(!index.releasesOf('Mojolicious').some((r) => r.version === '9.305'));
  const r = auditDependencies([dist('Mojolicious', '9.305')], index, { today: '2026-11-24' });
  assert.ok(r.findings[0]!.advisories.some((a) => a.advisory.id === 'CPANSA-Mojolicious-2022-03'));
});

test('a requirement range is reported when it admits an affected released version, with the remediation', () => {
  const r = auditDependencies([mod('Mojolicious', '>= 9.0', 3)], index, { today: '2026-11-24' });
  const f = r.findings[0]!;
  assert.equal(f.distribution, 'Mojolicious');
  assert.equal(f.status, 'vulnerable');
  const a = f.advisories.find((x) => x.advisory.id === 'CPANSA-Mojolicious-2022-03')!;
  assert.ok(a.affectedVersionsAdmitted!.includes('9.0'));
  assert.ok(!a.affectedVersionsAdmitted!.includes('8.0'), 'not admitted by >= 9.0');
  const json = toJsonReport(r) as { dependencies: { source: string; range: string }[] };
  assert.equal(json.dependencies[0]!.source, 'cpanfile:3');
  assert.equal(json.dependencies[0]!.range, '>= 9.0');
});

test('the remediation is the lowest stable release above the audited version that no fixable advisory affects', () => {
  const f = auditDependencies([dist('Mojolicious', '9.30')], index, { today: '2026-11-24' }).findings[0]!;
  assert.equal(f.status, 'vulnerable');
  const fix = f.remediation!;
  assert.ok(compareVersions(fix, '9.30') > 0);
  // Mojolicious has advisories no release fixes: the remediation leaves exactly those
  const open = new Set(f.unfixed ?? []);
  const remaining = (v: string) => index.advisoriesFor('Mojolicious', v).filter((a) => !open.has(a.id));
  assert.deepEqual(remaining(fix), []);
  assert.ok(index.advisoriesFor('Mojolicious', fix).every((a) => open.has(a.id)));
  assert.ok(!f.advisories.every((a) => open.has(a.advisory.id)), '9.30 has fixable advisories');
  // every stable release between the audited version and the remediation still has a fixable one
  const between = index
    .releasesOf('Mojolicious')
    .map((r) => r.version)
    .filter((v) => !v.includes('_') && compareVersions(v, '9.30') > 0 && compareVersions(v, fix) < 0);
  assert.ok(between.length > 0);
  for (const v of between) assert.ok(remaining(v).length > 0, `${v} is affected`);
});

test('a version with only fixed advisories gets the first clean release as remediation', () => {
  const f = auditDependencies([dist('Archive-Tar', '3.04')], index, { today: '2026-11-24' }).findings[0]!;
  assert.equal(f.status, 'vulnerable');
  assert.equal(f.unfixed, undefined);
  assert.deepEqual(index.advisoriesFor('Archive-Tar', f.remediation!), []);
  const earlier = index.releasesOf('Archive-Tar').map((r) => r.version).filter((v) => !v.includes('_') && compareVersions(v, '3.04') > 0 && compareVersions(v, f.remediation!) < 0);
  for (const v of earlier) assert.ok(index.advisoriesFor('Archive-Tar', v).length > 0, `${v} is affected`);
});

test('with an advisory no release fixes, no remediation is claimed and the report says so', () => {
  const f = auditDependencies([dist('Plack', '1.0029')], index, { today: '2026-11-24' }).findings[0]!;
  assert.equal(f.status, 'vulnerable');
  assert.ok(f.advisories.some((a) => a.advisory.id === 'CPANSA-Plack-2026-7381'));
  assert.ok(f.remediation === undefined || f.unfixed?.includes('CPANSA-Plack-2026-7381'));
  assert.ok(f.notes.some((n) => /no released version is free of .*CPANSA-Plack-2026-7381/.test(n)));
});

test('an ignore rule hides an advisory until it expires, then the finding comes back', () => {
  const rules = parseIgnoreFile('ignore:\n  - id: CPANSA-Mojolicious-2022-03\n    reason: only the JSON API is used\n    expires: 2027-01-31\n', '.cpansec-ignore.yml');
  const deps = [dist('Mojolicious', '9.30')];
  const before = auditDependencies(deps, index, { today: '2027-01-31', ignore: rules }).findings[0]!;
  const a = before.advisories.find((x) => x.advisory.id === 'CPANSA-Mojolicious-2022-03')!;
  assert.equal(a.ignored?.reason, 'only the JSON API is used');
  const after = auditDependencies(deps, index, { today: '2027-02-01', ignore: rules }).findings[0]!;
  const b = after.advisories.find((x) => x.advisory.id === 'CPANSA-Mojolicious-2022-03')!;
  assert.equal(b.ignored, undefined);
  assert.equal(b.expiredIgnore?.expires, '2027-01-31');
});

test('ignore rules match CVE aliases and are refused without a reason', () => {
  const rules = parseIgnoreFile('ignore:\n  - id: cve-2021-47208\n    reason: x\n', 'i.yml');
  const f = auditDependencies([dist('Mojolicious', '9.10')], index, { today: '2026-01-01', ignore: rules }).findings[0]!;
  assert.ok(f.advisories.find((x) => x.advisory.id === 'CPANSA-Mojolicious-2021-01')!.ignored);
  assert.throws(() => parseIgnoreFile('ignore:\n  - id: CVE-2021-1\n', 'i.yml'), { message: /i\.yml:2: .*reason/ });
  assert.throws(() => parseIgnoreFile('ignore:\n  - id: X\n    reason: r\n    expires: soon\n', 'i.yml'), { code: 'PARSE_ERROR' });
});

test('core-only modules are reported as core, dual-life ones are audited', () => {
  const core = (m: string) => (m === 'strict' ? { core: true, dualLife: false } : m === 'Encode' ? { core: true, dualLife: true } : undefined);
  const r = auditDependencies([mod('strict', '0'), mod('Encode', '0')], index, { today: '2026-11-24', coreLookup: core });
  const strict = r.findings.find((f) => f.name === 'strict')!;
  const encode = r.findings.find((f) => f.name === 'Encode')!;
  assert.equal(strict.status, 'core');
  assert.equal(encode.distribution, 'Encode');
  assert.equal(encode.status, 'vulnerable');
});

test('an unreadable version in a source is an error naming file and line', () => {
  assert.throws(() => auditDependencies([dist('Mojolicious', '9.x', 12)], index, { today: '2026-11-24' }), {
    code: 'INVALID_VERSION',
    message: /^cpanfile\.snapshot:12: /,
  });
});

test('SARIF has one rule per advisory and results located at the declaring line', () => {
  const r = auditDependencies([mod('Mojolicious', '>= 9.0', 7)], index, { today: '2026-11-24' });
  const sarif = toSarif(r, '0.1.0') as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  assert.ok(run.results.length > 0);
  for (const res of run.results) {
    assert.ok(run.tool.driver.rules.some((x) => x.id === res.ruleId));
    assert.equal(res.locations[0]!.physicalLocation.region.startLine, 7);
  }
});

test('a version the release list repeats is named once among the admitted releases', () => {
  assert.equal(index.releasesOf('Authen-SASL').filter((r) => r.version === '2.1700').length, 2, 'the data repeats it');
  const f = auditDependencies([mod('Authen::SASL', '2.16')], index, { today: '2026-11-24' }).findings[0]!;
  for (const a of f.advisories) assert.equal(new Set(a.affectedVersionsAdmitted).size, a.affectedVersionsAdmitted!.length);
});
