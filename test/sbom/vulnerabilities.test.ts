import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Advisory } from '../../src/advisory/index.js';
import type { AuditResult, Dependency } from '../../src/audit/index.js';
import { vulnerabilitiesOf } from '../../src/sbom/index.js';

const advisory: Advisory = {
  id: 'CPANSA-Foo-Bar-2025-01',
  distribution: 'Foo-Bar',
  affectedVersions: ['<1.5'],
  fixedVersions: ['>=1.5'],
  cves: ['CVE-2025-0001'],
  ghsas: [],
  severityText: 'high',
  severity: 'high',
  cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 }],
  references: ['https://example.org/advisory'],
  description: 'Foo::Bar before 1.5 runs code from a crafted file.',
  reported: '2025-02-03',
  reviewedBy: [],
  previousIds: [],
  extra: {},
};

describe('findings as vulnerabilities', () => {
  it('rates from CVSS and severity, links by ref, recommends the remediation, and a VEX says in_triage', () => {
    const dep: Dependency = { name: 'Foo-Bar', kind: 'distribution', version: '1.2', source: { file: 'cpanfile.snapshot' } };
    const result: AuditResult = {
      findings: [{ name: 'Foo-Bar', distribution: 'Foo-Bar', version: '1.2', sources: [dep], status: 'vulnerable', advisories: [{ advisory }], remediation: '1.5', notes: [] }],
      database: { source: 'test', meta: {}, distributions: 1, advisories: 1 },
      inputs: ['cpanfile.snapshot'],
      generatedAt: '2026-11-24T00:00:00.000Z',
    };
    const [v] = vulnerabilitiesOf(result, (d) => (d === dep ? 'pkg:cpan/Foo-Bar@1.2' : undefined), { vex: true });
    assert.deepEqual(v!.ratings, [
      { method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical' },
      { method: 'other', severity: 'high' },
    ]);
    assert.deepEqual(v!.affects, [{ ref: 'pkg:cpan/Foo-Bar@1.2', version: '1.2' }]);
    assert.equal(v!.recommendation, 'Upgrade Foo-Bar to 1.5 or later.');
    assert.deepEqual(v!.aliases, ['CVE-2025-0001']);
    assert.equal(v!.analysis?.state, 'in_triage');
    assert.deepEqual(v!.analysis?.response, ['update']);
    // an ignored advisory is no vulnerability of an SBOM, and not_affected in a VEX
    result.findings[0]!.advisories[0]!.ignored = { reason: 'not used', source: '.cpansec-ignore.yml:3' };
    assert.deepEqual(vulnerabilitiesOf(result, () => 'x'), []);
    assert.equal(vulnerabilitiesOf(result, () => 'x', { vex: true })[0]!.analysis?.state, 'not_affected');
  });
});
