/**
 * Every kind of SBOM cpansec generates — each input kind, each format and CycloneDX version, with
 * and without vulnerabilities, and the audit's VEX — validated against the official schemas. The
 * number validated is printed as a diagnostic (and asserted, so a scenario cannot silently vanish).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditDependencies } from '../../src/audit/index.js';
import { readSources } from '../../src/audit/sources/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { coreInfo } from '../../src/perl/index.js';
import { addVulnerabilities, auditVex, readSbomSource, renderSbom, type RenderOptions } from '../../src/sbom/index.js';
import { cpanfileProject, installedProject, RELEASES, snapshotProject, tarball, workDir, zipball } from './fixtures.js';
import { assertValid, DOC } from './helpers.js';

let dir: string;
let inputs: [string, string][];
let index: VulnerabilityIndex;

before(async () => {
  dir = workDir();
  index = new VulnerabilityIndex(loadBundledDatabase());
  inputs = [
    ...RELEASES.map(([n, v, m, a]): [string, string] => [`${n} tarball`, tarball(dir, n, v, m, a)]),
    ['Plack zip', await zipball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json')],
    ['metacpan-api snapshot project', snapshotProject(dir)],
    ['cpanfile project', cpanfileProject(dir)],
    ['installed tree', installedProject(dir)],
    ['installed tree with a cpanfile', path.join(installedProject(dir, { name: 'installed-with-cpanfile', cpanfile: "requires 'Plack';\n" }), 'local')],
  ];
});
after(() => rmSync(dir, { recursive: true, force: true }));

const FORMATS: [string, Pick<RenderOptions, 'format' | 'specVersion'>][] = [
  ['CycloneDX 1.6', { format: 'cyclonedx', specVersion: '1.6' }],
  ['CycloneDX 1.5', { format: 'cyclonedx', specVersion: '1.5' }],
  ['CycloneDX 1.4', { format: 'cyclonedx', specVersion: '1.4' }],
  ['SPDX 2.3', { format: 'spdx' }],
];

describe('every generated SBOM validates against its official schema', () => {
  it('all inputs × formats × with/without vulnerabilities, and the VEX', async (t) => {
    let validated = 0;
    const core = (m: string) => coreInfo(m);
    for (const [label, input] of inputs) {
      for (const withVulns of [false, true]) {
        const sbom = await readSbomSource(input, { core, distributionOf: (m) => index.distributionOfModule(m) });
        if (withVulns) addVulnerabilities(sbom, index, { today: '2026-11-24', coreLookup: core });
        for (const [name, f] of FORMATS) {
          assertValid(renderSbom(sbom, { ...DOC, ...f }), `${label}${withVulns ? ' with vulnerabilities' : ''} as ${name}`);
          validated++;
        }
      }
      if (!/tarball|zip|installed/.test(label)) {
        const result = auditDependencies(readSources(input).dependencies, index, { today: '2026-11-24', coreLookup: core });
        assertValid(auditVex(result, DOC), `${label} VEX`);
        validated++;
      }
    }
    t.diagnostic(`SBOM documents validated against the official schemas: ${validated}`);
    assert.equal(validated, inputs.length * 2 * FORMATS.length + 2);
  });
});
