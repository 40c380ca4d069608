/**
 * The outcome: the advisory in our format (checked by our linter) and the CNA fields, checked
 * against the CPANSec CNA tool's own schema and turned into a CVE JSON 5 record by src/publish.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { readReport } from '../../src/advisory/index.js';
import { advisoryIdFor, applyDraftEdit, cnaAffected, cnaToolInput, cveRecordInput, lintDraft, newDraft, type Draft } from '../../src/disclosure/index.js';
import { cveRecordOfYaml, validateCveRecord, type CnaRecord } from '../../src/publish/index.js';
import { upstreamPath } from '../helpers/paths.js';
import { makeCase } from './helpers.js';

const now = new Date('2026-04-10T12:00:00Z');

function completeDraft(): Draft {
  const c = makeCase({ cve: 'CVE-2026-12345', assessment: { scope: null, cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 }], cwes: ['CWE-59'], severity: 'critical' } });
  const draft = newDraft(c, { now, by: 'account:member', takenIds: [], mainModule: 'Foo::Bar' });
  return applyDraftEdit(
    draft,
    {
      advisory: {
        description: 'Foo::Bar versions through 1.23 for Perl follow symbolic links when extracting archives.',
        fixedVersions: ['>= 1.24'],
        affectedVersions: ['<= 1.23'],
      },
      cna: {
        title: 'Foo::Bar versions through 1.23 for Perl follow symbolic links when extracting',
        author: 'RITA',
        repo: 'https://github.com/rita/Foo-Bar',
        cwes: [{ id: 'CWE-59', name: 'Improper Link Resolution Before File Access (Link Following)' }],
        solution: ['Upgrade to 1.24 or later.'],
        references: [{ url: 'https://metacpan.org/release/RITA/Foo-Bar-1.24/changes', tags: ['release-notes'] }, { url: 'https://github.com/rita/Foo-Bar/commit/abc123', name: 'Fix', tags: ['patch'] }],
        timeline: [{ time: '2026-03-05', value: 'Fix prepared' }],
      },
    },
    'account:member',
    now,
  );
}

test('advisory ids: from the CVE as the CPANSA data does, else the next number of the year', () => {
  assert.equal(advisoryIdFor('Foo-Bar', 'CVE-2025-40917', 2026, []), 'CPANSA-Foo-Bar-2025-40917');
  assert.equal(advisoryIdFor('Foo-Bar', null, 2026, ['CPANSA-Foo-Bar-2026-01', 'CPANSA-Foo-Bar-2026-07', 'CPANSA-Foo-Bar-2026-15747', 'CPANSA-Foo-Bar-2025-09', 'CPANSA-Foo-Barx-2026-99']), 'CPANSA-Foo-Bar-2026-08');
  assert.equal(advisoryIdFor('Foo-Bar', null, 2026, []), 'CPANSA-Foo-Bar-2026-01');
});

test('a first draft carries what the case knows; it is incomplete, and the linter says how', () => {
  const c = makeCase({ assessment: { scope: null, cvss: [], cwes: [], severity: 'high' } });
  const d = newDraft(c, { now, by: 'account:member', takenIds: [] });
  assert.equal(d.advisory.id, 'CPANSA-Foo-Bar-2026-01');
  assert.deepEqual(d.advisory.affectedVersions, ['<= 1.23']);
  assert.equal(d.advisory.reported, '2026-03-01');
  assert.equal(d.advisory.severity, 'high');
  assert.equal(d.advisory.description, c.report.description, 'the summary starts from the report');
  assert.equal(d.cna.module, 'Foo::Bar');
  assert.equal(d.cna.title, 'Foo::Bar versions through 1.23 for Perl');
  assert.deepEqual(d.cna.credits, [{ type: 'finder', value: 'Rita Reporter', lang: 'en' }]);
  const rules = lintDraft(d).filter((p) => p.level === 'error').map((p) => p.rule);
  assert.deepEqual(rules.sort(), ['missing-references']);
  const cveRules = lintDraft(d, { cve: 'CVE-2026-1' }).filter((p) => p.level === 'error').map((p) => p.rule);
  for (const r of ['missing-author', 'invalid-cve', 'cve-missing-from-advisory']) assert.ok(cveRules.includes(r), r);
});

test('the draft is filled from triage: affected and fixed versions, CWE with its name, CVSS, solution; no credit when the reporter asked for none', () => {
  const cvss = [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', score: 9.1 }];
  const c = makeCase({ assessment: { scope: null, cvss, cwes: ['CWE-22', 'CWE-9999'], severity: 'critical', affectedVersions: ['>= 1.0, < 1.24'], fixedVersions: ['>= 1.24'] } });
  const d = newDraft({ ...c, report: { ...c.report, credit: null } }, { now, by: 'account:member', takenIds: [] });
  assert.deepEqual(d.advisory.affectedVersions, ['>= 1.0, < 1.24']);
  assert.deepEqual(d.advisory.fixedVersions, ['>= 1.24']);
  assert.deepEqual(d.advisory.cvss, cvss);
  assert.equal(d.advisory.severity, 'critical');
  assert.deepEqual(d.cna.cwes, [{ id: 'CWE-22', name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')" }, { id: 'CWE-9999', name: 'CWE-9999' }]);
  assert.equal(d.cna.title, 'Foo::Bar versions from 1.0 before 1.24 for Perl');
  assert.deepEqual(d.cna.solution, ['Upgrade to 1.24 or later.']);
  assert.deepEqual(d.cna.credits, []);
});

test('a complete draft passes the linter, and its report file reads back the same', () => {
  const d = completeDraft();
  assert.deepEqual(lintDraft(d, { cve: 'CVE-2026-12345' }).filter((p) => p.level === 'error'), []);
  assert.deepEqual(d.advisory.cves, ['CVE-2026-12345']);
  assert.equal(d.advisory.id, 'CPANSA-Foo-Bar-2026-12345');
  assert.deepEqual(d.advisory.references, ['https://metacpan.org/release/RITA/Foo-Bar-1.24/changes', 'https://github.com/rita/Foo-Bar/commit/abc123']);
});

test('draft edits are checked field by field', () => {
  const d = completeDraft();
  const refused: [unknown, RegExp][] = [
    [{ advisory: { affectedVersions: ['1.0'] } }, /needs an operator/],
    [{ advisory: { severity: 'urgent' } }, /critical, high, medium or low/],
    [{ advisory: { cvss: ['CVSS:3.1/AV:N'] } }, /base metrics/],
    [{ advisory: { references: ['javascript:alert(1)'] } }, /not an http\(s\) URL/],
    [{ advisory: { id: 'CPANSA-Other-2026-01' } }, /advisory\.id: cannot be edited/],
    [{ cna: { author: 'rita' } }, /not a PAUSE id/],
    [{ cna: { module: 'Foo Bar' } }, /not a module name/],
    [{ cna: { cwes: [{ id: 'CWE-0', name: 'x' }] } }, /not a CWE id/],
    [{ cna: { impacts: ['CAPEC-xx'] } }, /CAPEC/],
    [{ cna: { credits: [{ type: 'hero', value: 'x' }] } }, /must be one of finder/],
    [{ cna: { references: [{ url: 'https://example.org', tags: ['cool'] }] } }, /not a reference tag/],
    [{ cna: { timeline: [{ time: 'spring', value: 'x' }] } }, /not a date/],
    [{ cna: { title: 'x'.repeat(257) } }, /too long/],
    [{ other: {} }, /unknown part/],
  ];
  for (const [patch, message] of refused) assert.throws(() => applyDraftEdit(d, patch, 'account:member', now), { code: 'PARSE_ERROR', message }, JSON.stringify(patch));
  const cleared = applyDraftEdit(d, { advisory: { severity: null, comment: 'reviewed' } }, 'account:admin', now);
  assert.equal(cleared.advisory.severity, null);
  assert.equal(cleared.advisory.comment, 'reviewed');
  assert.equal(cleared.updatedBy, 'account:admin');
});

test('ranges in the CNA tool’s version form', () => {
  assert.equal(cnaAffected('<= 1.23'), '<= 1.23');
  assert.equal(cnaAffected('< 2.0'), '< 2.0');
  assert.equal(cnaAffected('>= 1.10, < 1.24'), '1.10 < 1.24');
  assert.equal(cnaAffected('== 1.05'), '1.05');
  assert.equal(cnaAffected('> 1.0'), undefined);
  assert.equal(cnaAffected('>= 1.0'), undefined);
  const d = completeDraft();
  const open = applyDraftEdit(d, { advisory: { affectedVersions: ['>= 1.0'] } }, 'x', now);
  assert.ok(lintDraft(open, { cve: 'CVE-2026-12345' }).some((p) => p.rule === 'cna-range'));
});

const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

test('the CNA fields are valid input of the CPANSec CNA tool, and src/publish builds a valid CVE record from them', () => {
  const d = completeDraft();
  const c = makeCase({ cve: 'CVE-2026-12345', draft: d, state: 'published', publishedAt: now.toISOString() });
  const input = cveRecordInput(c, [
    { time: '2026-03-01T09:00:00.000Z', value: 'Vulnerability reported to the CPAN Security Group' },
    { time: '2026-04-10T12:00:00.000Z', value: 'Advisory published' },
  ]);
  assert.deepEqual(input.timeline.map((t) => t.value), ['Vulnerability reported to the CPAN Security Group', 'Fix prepared', 'Advisory published']);
  const yamlInput = cnaToolInput(input);

  const schema = parse(readFileSync(upstreamPath('specs', 'cpansec-cna', 'cpansec-cna-schema-01.yaml'), 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(yamlInput), JSON.stringify(validate.errors));
  assert.deepEqual((yamlInput.cpansec as { affected: string[] }).affected, ['<= 1.23']);

  const record = cveRecordOfYaml(yamlInput.cpansec as unknown as CnaRecord, 'case.yml');
  assert.deepEqual(validateCveRecord(record), []);
  assert.equal((record as { cveMetadata: { cveId: string } }).cveMetadata.cveId, 'CVE-2026-12345');
});

test('the report file of a draft is a CPANSA report our reader accepts', async () => {
  const { writeReport } = await import('../../src/advisory/index.js');
  const d = completeDraft();
  const back = readReport(writeReport('Foo-Bar', [d.advisory]), 'Foo-Bar.yml');
  assert.equal(back.advisories[0]!.id, d.advisory.id);
  assert.deepEqual(back.advisories[0]!.cvss, d.advisory.cvss.map((x) => ({ ...x, score: x.score })));
});
