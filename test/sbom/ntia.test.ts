/**
 * The NTIA minimum elements of a CPAN SBOM (supplier, name, version, unique id, dependency
 * relationship, author of the SBOM data, timestamp) where the data has them; the --project-*
 * options for what a snapshot cannot know; --mirror for what a local CPAN mirror knows.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { snapshotProject, tarball, workDir } from './fixtures.js';
import { assertValid, prop, type Obj } from './helpers.js';

let dir: string;
let project: string;
before(() => {
  dir = workDir();
  project = snapshotProject(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('NTIA minimum elements and --project-*', () => {
  it('states the project, and gives every locked distribution supplier, name, version and purl', () => {
    const r = cli([
      'sbom', project, '--project-name', 'MetaCPAN API', '--project-version', '2026.11', '--project-license', 'Artistic-1.0-Perl OR GPL-1.0-or-later',
      '--project-author', 'MetaCPAN Team <noreply@metacpan.org>', '--project-author', 'Olaf Alders', '--project-type', 'application',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Obj;
    assertValid(doc, 'ntia');
    const root = doc.metadata.component as Obj;
    assert.equal(root.name, 'MetaCPAN API');
    assert.equal(root.version, '2026.11');
    assert.equal(root['bom-ref'], 'perl-project:MetaCPAN-API');
    assert.equal(root.type, 'application');
    assert.deepEqual(root.licenses, [{ expression: 'Artistic-1.0-Perl OR GPL-1.0-or-later' }]);
    assert.deepEqual(root.authors, [{ name: 'MetaCPAN Team', email: 'noreply@metacpan.org' }, { name: 'Olaf Alders' }]);
    // the author of the SBOM data (the tool) and the timestamp
    assert.ok(doc.metadata.timestamp);
    assert.equal(doc.metadata.tools.components[0].name, 'cpansec');
    const dists = (doc.components as Obj[]).filter((c) => prop(c, 'cpan:kind')[0] === 'distribution');
    assert.ok(dists.length > 100);
    for (const c of dists) {
      assert.ok(c.name && c.version && c.purl, c['bom-ref']);
      assert.deepEqual(c.supplier, { name: prop(c, 'cpan:author')[0], url: [`https://metacpan.org/author/${prop(c, 'cpan:author')[0]}`] }, c.name);
    }
    const graph = new Set((doc.dependencies as Obj[]).map((d) => d.ref));
    assert.ok(graph.has(root['bom-ref']) && dists.every((c) => graph.has(c['bom-ref'])), 'a dependency relationship for the root and each distribution');
    const spdx = JSON.parse(cli(['sbom', project, '--format', 'spdx', '--project-license', 'MIT']).stdout) as Obj;
    assertValid(spdx, 'ntia spdx');
    assert.equal((spdx.packages as Obj[])[0]!.licenseDeclared, 'MIT');
  });

  it('refuses a --project-license that is not an SPDX expression', () => {
    const r = cli(['sbom', project, '--project-license', 'perl_5']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cpansec: --project-license: 'perl_5' is not a valid SPDX licence expression/);
  });
});

describe('--mirror DIR', () => {
  it('adds the tarball hashes and the META licence, abstract and authors of the distributions the mirror has', () => {
    const mirror = path.join(dir, 'minicpan');
    mkdirSync(mirror);
    const file = tarball(mirror, 'Try-Tiny', '0.32', 'Try-Tiny-0.22.META.json', 'ETHER');
    const r = cli(['sbom', project, '--mirror', mirror]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Obj;
    assertValid(doc, 'mirror');
    const tt = (doc.components as Obj[]).find((c) => c.name === 'Try-Tiny')!;
    const bytes = readFileSync(file);
    assert.deepEqual(tt.hashes, [
      { alg: 'SHA-256', content: createHash('sha256').update(bytes).digest('hex') },
      { alg: 'SHA-512', content: createHash('sha512').update(bytes).digest('hex') },
    ]);
    assert.deepEqual(tt.licenses, [{ expression: 'MIT' }]);
    assert.ok(tt.description);
    assert.ok(tt.authors.length > 0);
    assert.deepEqual(prop(doc.metadata, 'cpan:mirror'), [`1 of ${(doc.components as Obj[]).filter((c) => prop(c, 'cpan:kind')[0] === 'distribution').length} distributions found`]);
    assert.ok(!r.stdout.includes(dir), 'no path of this machine');
  });
});
