/** What a reviewer checks in the documents: identity, licence, hashes, references, prerequisites, graph. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSnapshot } from '../../src/audit/sources/index.js';
import { readSbomSource, renderSbom, toCycloneDx, toSpdx } from '../../src/sbom/index.js';
import { META_DIR, RELEASES, snapshotProject, tarball, unpacked, workDir } from './fixtures.js';
import { assertValid, core, DOC, prop, type Obj } from './helpers.js';

let dir: string;
before(() => (dir = workDir()));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('a distribution tarball', () => {
  it('describes the release: purl with its author, licence, authors, resources, hashes of the tarball', async () => {
    const file = tarball(dir, 'Mojolicious', '5.71', 'Mojolicious-5.71.META.json', 'SRI');
    const doc = toCycloneDx(await readSbomSource(file, { core }), DOC) as Obj;
    assertValid(doc, 'Mojolicious');
    const root = doc.metadata.component as Obj;
    assert.equal(root.name, 'Mojolicious');
    assert.equal(root.version, '5.71');
    assert.equal(root.purl, 'pkg:cpan/Mojolicious@5.71?author=SRI');
    assert.equal(root['bom-ref'], root.purl);
    assert.equal(root.description, 'Real-time web framework');
    assert.deepEqual(root.authors, [{ name: 'Sebastian Riedel', email: 'sri@cpan.org' }]);
    assert.deepEqual(root.licenses, [{ expression: 'Artistic-2.0' }]);
    const bytes = readFileSync(file);
    assert.deepEqual(root.hashes, [
      { alg: 'SHA-256', content: createHash('sha256').update(bytes).digest('hex') },
      { alg: 'SHA-512', content: createHash('sha512').update(bytes).digest('hex') },
    ]);
    assert.deepEqual(
      (root.externalReferences as Obj[]).map((r) => `${r.type} ${r.url}`).sort(),
      [
        'vcs https://github.com/kraih/mojo.git',
        'issue-tracker https://github.com/kraih/mojo/issues',
        'website http://mojolicio.us',
        'license http://www.opensource.org/licenses/artistic-license-2.0',
        'chat irc://irc.perl.org/#mojo',
        'distribution https://cpan.metacpan.org/authors/id/S/SR/SRI/Mojolicious-5.71.tar.gz',
      ].sort(),
    );
    // MakeMaker wrote no `provides`: none is made up
    assert.deepEqual(prop(root, 'cpan:provides'), []);
    assert.deepEqual(prop(root, 'cpan:requires-perl'), ['runtime requires 5.010001']);
    assert.deepEqual(prop(root, 'cpan:dynamic-config'), ['true']);
    assert.deepEqual((doc.components as Obj[]).map((c) => c.name).sort(), ['ExtUtils::MakeMaker', 'IO::Socket::IP', 'Pod::Simple', 'Time::Local']);
    const mm = (doc.components as Obj[]).find((c) => c.name === 'ExtUtils::MakeMaker')!;
    assert.deepEqual(prop(mm, 'cpan:prereq'), ['build requires ExtUtils::MakeMaker 0', 'configure requires ExtUtils::MakeMaker 0']);
    assert.equal(mm.scope, 'excluded');
    assert.match(doc.serialNumber, /^urn:uuid:/);
    assert.equal(doc.metadata.timestamp, '2026-11-24T12:00:00.000Z');
    assert.equal(doc.metadata.tools.components[0].name, 'cpansec');
  });

  it('lists every prerequisite with its phase and relationship as scope and properties', async () => {
    const file = tarball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA');
    const doc = toCycloneDx(await readSbomSource(file, { core }), DOC) as Obj;
    const byName = new Map((doc.components as Obj[]).map((c) => [c.name as string, c]));
    const meta = JSON.parse(readFileSync(path.join(META_DIR, 'Plack-1.0050.META.json'), 'utf8')) as Obj;
    const modules = new Set<string>();
    for (const [phase, rels] of Object.entries(meta.prereqs as Obj)) {
      for (const [rel, mods] of Object.entries(rels as Obj)) {
        for (const [module, range] of Object.entries(mods as Obj)) {
          if (module === 'perl') continue;
          modules.add(module);
          const c = byName.get(module);
          assert.ok(c, `${module} is a component`);
          assert.ok(prop(c, 'cpan:prereq').includes(`${phase} ${rel} ${module} ${range}`), `${module}: ${phase} ${rel}`);
          assert.ok(prop(c, 'cpan:phase').includes(phase));
          assert.ok(prop(c, 'cpan:relationship').includes(rel));
        }
      }
    }
    assert.equal(byName.size, modules.size, 'one component per module');
    assert.equal(byName.get('URI')!.scope, 'required');
    assert.equal(byName.get('LWP::UserAgent')!.scope, 'optional', 'runtime suggests');
    assert.equal(byName.get('Test::Requires')!.scope, 'excluded', 'test requires');
    assert.equal(byName.get('Dist::Milla')!.scope, 'excluded', 'develop requires');
    // core modules are marked, dual-life ones too
    assert.deepEqual(prop(byName.get('Pod::Usage')!, 'cpan:core'), ['true']);
    assert.deepEqual(prop(byName.get('Pod::Usage')!, 'cpan:dual-life'), ['true']);
    assert.deepEqual(prop(byName.get('URI')!, 'cpan:core'), []);
    const root = doc.dependencies.find((d: Obj) => d.ref === doc.metadata.component['bom-ref']) as Obj;
    assert.equal(root.dependsOn.length, byName.size);
  });

  it('reads META.yml (spec 1.4): 1.x licence name, resources, conflicts and the perl requirement on the root', async () => {
    const doc = toCycloneDx(await readSbomSource(tarball(dir, 'DBI', '1.632', 'DBI-1.632.META.yml', 'TIMB'), { core }), DOC) as Obj;
    assertValid(doc, 'DBI');
    const root = doc.metadata.component as Obj;
    assert.equal(root.purl, 'pkg:cpan/DBI@1.632?author=TIMB');
    assert.deepEqual(root.licenses, [{ expression: 'Artistic-1.0-Perl OR GPL-1.0-or-later' }], "1.x 'perl' is perl_5");
    assert.deepEqual(prop(root, 'cpan:license'), ['perl_5']);
    assert.deepEqual(root.authors, [{ name: 'Tim Bunce (dbi-users@perl.org)' }]);
    assert.deepEqual(prop(root, 'cpan:meta-spec'), ['1.4']);
    const refs = (root.externalReferences as Obj[]).map((r) => `${r.type} ${r.url}`);
    for (const r of ['vcs https://github.com/perl5-dbi/dbi', 'website http://dbi.perl.org/', 'license http://dev.perl.org/licenses/', 'mailing-list mailto:dbi-dev@perl.org', 'chat irc://irc.perl.org/#dbi']) {
      assert.ok(refs.includes(r), `external reference ${r}`);
    }
    assert.deepEqual(prop(root, 'cpan:conflicts'), [
      'runtime DBD::Amazon 0.10',
      'runtime DBD::AnyData 0.110',
      'runtime DBD::CSV 0.36',
      'runtime DBD::Google 0.51',
      'runtime DBD::PO 2.10',
      'runtime DBD::RAM 0.072',
      'runtime SQL::Statement 1.33',
    ]);
    assert.deepEqual(prop(root, 'cpan:requires-perl'), ['runtime requires 5.008']);
    assert.ok(!(doc.components as Obj[]).some((c) => c.name === 'DBD::CSV' || c.name === 'SQL::Statement'), 'a conflict is not a component');
    // build_requires and configure_requires are the build and configure phases
    const simple = (doc.components as Obj[]).find((c) => c.name === 'Test::Simple')!;
    assert.deepEqual(prop(simple, 'cpan:prereq'), ['build requires Test::Simple 0.90']);
    assert.equal(simple.scope, 'excluded');
    assert.deepEqual((doc.components as Obj[]).map((c) => c.name).sort(), ['ExtUtils::MakeMaker', 'Test::Simple']);
  });

  it('lists the provided modules META names, and keeps develop prerequisites apart', async () => {
    const doc = toCycloneDx(await readSbomSource(tarball(dir, 'Moose', '2.1403', 'Moose-2.1403.META.json', 'ETHER'), { core }), DOC) as Obj;
    const root = doc.metadata.component as Obj;
    const provides = prop(root, 'cpan:provides');
    assert.equal(provides.length, 347);
    for (const p of ['Moose 2.1403', 'Class::MOP 2.1403', 'Moose::Cookbook 2.1403', 'Moose::Util::TypeConstraints 2.1403']) assert.ok(provides.includes(p), p);
    assert.deepEqual(prop(root, 'cpan:requires-perl'), ['develop suggests v5.8.3', 'runtime requires v5.8.3']);
    assert.deepEqual(
      (root.externalReferences as Obj[]).filter((r) => ['mailing-list', 'chat', 'issue-tracker'].includes(r.type)).map((r) => `${r.type} ${r.url}`),
      ['chat irc://irc.perl.org/#moose', 'issue-tracker https://rt.cpan.org/Dist/Display.html?Name=Moose', 'issue-tracker mailto:bug-moose@rt.cpan.org', 'mailing-list http://lists.perl.org/list/moose.html'],
    );
    const byName = new Map((doc.components as Obj[]).map((c) => [c.name as string, c]));
    assert.equal(byName.get('Class::Load')!.scope, 'required', 'runtime requires, and develop requires and suggests: the stronger wins');
    assert.deepEqual(prop(byName.get('Class::Load')!, 'cpan:prereq').sort(), ['develop requires Class::Load 0.07', 'develop suggests Class::Load 0.09', 'runtime requires Class::Load 0.09']);
    assert.equal(byName.get('Devel::PartialDump')!.scope, 'optional', 'runtime recommends');
    assert.equal(byName.get('Dist::Zilla')!.scope, 'excluded', 'develop requires');
    assert.equal(byName.get('Test::Requires')!.scope, 'excluded', 'test requires');
  });

  it("makes an optional feature's prerequisites optional and names the feature", async () => {
    const sbom = await readSbomSource(tarball(dir, 'Devel-REPL', '1.003026', 'Devel-REPL-1.003026.META.json', 'ETHER'), { core });
    const doc = toCycloneDx(sbom, DOC) as Obj;
    assertValid(doc, 'Devel-REPL');
    const root = doc.metadata.component as Obj;
    assert.equal(prop(root, 'cpan:optional-feature').length, 11);
    assert.ok(prop(root, 'cpan:optional-feature').includes('Completion: Completion plugin - extensible tab completion'));
    const byName = new Map((doc.components as Obj[]).map((c) => [c.name as string, c]));
    const ppi = byName.get('PPI')!;
    assert.deepEqual(prop(ppi, 'cpan:feature').sort(), ['Completion', 'MultiLine', 'PPI']);
    assert.ok(prop(ppi, 'cpan:prereq').includes('runtime requires PPI 0'), "the feature's runtime requires");
    assert.equal(ppi.scope, 'optional', 'required only when the feature is enabled');
    assert.equal(byName.get('Sys::SigAction')!.scope, 'optional');
    assert.equal(byName.get('MooseX::Getopt')!.scope, 'required', 'runtime requires outside any feature');
    const spdx = toSpdx(sbom, DOC) as Obj;
    assertValid(spdx, 'Devel-REPL SPDX');
    const id = (name: string) => spdx.packages.find((p: Obj) => p.name === name).SPDXID as string;
    const rootId = spdx.documentDescribes[0] as string;
    const types = (name: string) =>
      spdx.relationships
        .filter((r: Obj) => [r.spdxElementId, r.relatedSpdxElement].includes(id(name)) && [r.spdxElementId, r.relatedSpdxElement].includes(rootId))
        .map((r: Obj) => r.relationshipType as string);
    // PPI: runtime recommends, three features' runtime requires, develop requires; never DEPENDS_ON
    assert.deepEqual(types('PPI').sort(), ['DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF']);
    assert.deepEqual(types('MooseX::Getopt'), ['DEPENDS_ON']);
  });

  it('reads the same release as a .zip and as an unpacked directory with MYMETA', async () => {
    const root = unpacked(dir, 'Moose', '2.1403', 'Moose-2.1403.META.json');
    const mymeta = JSON.parse(readFileSync(path.join(root, 'META.json'), 'utf8')) as Obj;
    mymeta.prereqs.runtime.requires['Config::Tiny'] = '2.0';
    writeFileSync(path.join(root, 'MYMETA.json'), JSON.stringify(mymeta));
    const doc = toCycloneDx(await readSbomSource(root, { core }), DOC) as Obj;
    assertValid(doc, 'Moose directory');
    assert.ok((doc.components as Obj[]).some((c) => c.name === 'Config::Tiny'), 'prerequisites from MYMETA.json');
    assert.deepEqual(prop(doc.metadata.component, 'cpan:prereqs-from'), ['MYMETA.json']);
    assert.equal(doc.metadata.component.hashes, undefined, 'a directory has no tarball to hash');
    assert.equal(doc.metadata.component.authors.length, 10);
    assert.deepEqual(doc.metadata.component.authors[4], { name: "\u05d9\u05d5\u05d1\u05dc \u05e7\u05d5\u05d2'\u05de\u05df (Yuval Kogman)", email: 'nothingmuch@woobling.org' });
  });

  it('as SPDX 2.3: the package with checksums, purl, declared licence, and phase-specific relationships', async () => {
    const file = tarball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA');
    const doc = toSpdx(await readSbomSource(file, { core }), DOC) as Obj;
    assertValid(doc, 'Plack SPDX');
    const root = doc.packages.find((p: Obj) => p.SPDXID === doc.documentDescribes[0]) as Obj;
    assert.equal(root.name, 'Plack');
    assert.equal(root.versionInfo, '1.0050');
    assert.equal(root.licenseDeclared, 'Artistic-1.0-Perl OR GPL-1.0-or-later');
    assert.equal(root.downloadLocation, 'https://cpan.metacpan.org/authors/id/M/MI/MIYAGAWA/Plack-1.0050.tar.gz');
    assert.deepEqual(root.externalRefs, [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:cpan/Plack@1.0050?author=MIYAGAWA' }]);
    assert.deepEqual(root.checksums.map((c: Obj) => c.algorithm), ['SHA256', 'SHA512']);
    const id = (name: string) => doc.packages.find((p: Obj) => p.name === name).SPDXID as string;
    const rel = (a: string, type: string, b: string) => doc.relationships.some((r: Obj) => r.spdxElementId === a && r.relationshipType === type && r.relatedSpdxElement === b);
    assert.ok(rel(root.SPDXID, 'DEPENDS_ON', id('URI')));
    assert.ok(rel(id('Test::Requires'), 'TEST_DEPENDENCY_OF', root.SPDXID));
    assert.ok(rel(id('File::ShareDir::Install'), 'BUILD_DEPENDENCY_OF', root.SPDXID));
    assert.ok(rel(id('Dist::Milla'), 'DEV_DEPENDENCY_OF', root.SPDXID));
    assert.ok(rel(id('LWP::UserAgent'), 'OPTIONAL_DEPENDENCY_OF', root.SPDXID));
  });

  it('gives licence names without an SPDX id a LicenseRef with its text', async () => {
    const root = unpacked(dir, 'Odd', '0.01', 'Plack-1.0050.META.json');
    const meta = JSON.parse(readFileSync(path.join(root, 'META.json'), 'utf8')) as Obj;
    writeFileSync(path.join(root, 'META.json'), JSON.stringify({ ...meta, name: 'Odd', version: '0.01', license: ['open_source'] }));
    const sbom = await readSbomSource(root, { core });
    const spdx = toSpdx(sbom, DOC) as Obj;
    assertValid(spdx, 'open_source SPDX');
    assert.equal(spdx.packages[0].licenseDeclared, 'LicenseRef-CPAN-Meta-open-source');
    assert.equal(spdx.hasExtractedLicensingInfos[0].licenseId, 'LicenseRef-CPAN-Meta-open-source');
    const cdx = toCycloneDx(sbom, DOC) as Obj;
    assert.deepEqual(cdx.metadata.component.licenses, [{ license: { name: 'CPAN::Meta open_source' } }]);
  });
});

describe('a project with a cpanfile.snapshot', () => {
  it('locks every distribution at its version with its CPAN path, and builds the graph from requirements', async () => {
    const project = snapshotProject(dir);
    const doc = toCycloneDx(await readSbomSource(project, { core }), DOC) as Obj;
    assertValid(doc, 'metacpan-api');
    const dists = (doc.components as Obj[]).filter((c) => prop(c, 'cpan:kind')[0] === 'distribution');
    assert.equal(dists.length, 369, 'the 369 distributions of the snapshot');
    const mojo = dists.find((c) => c.name === 'Mojolicious')!;
    assert.match(mojo.purl, /^pkg:cpan\/Mojolicious@[\d.]+\?author=SRI$/);
    assert.match(prop(mojo, 'cpan:pathname')[0]!, /^S\/SR\/SRI\/Mojolicious-[\d.]+\.tar\.gz$/);
    assert.ok(mojo.externalReferences.some((r: Obj) => r.type === 'distribution' && r.url.startsWith('https://cpan.metacpan.org/authors/id/S/SR/SRI/')));
    assert.ok(prop(mojo, 'cpan:provides').some((p) => p.split(' ')[0] === 'Mojo::Base'));
    // the snapshot says Plack requires HTTP::Message: Plack -> HTTP-Message in the graph
    const snapshot = parseSnapshot(readFileSync(path.join(project, 'cpanfile.snapshot'), 'utf8'), 'cpanfile.snapshot');
    assert.ok(snapshot.distributions.find((d) => d.distribution === 'Plack')!.requirements.some((r) => r.module === 'HTTP::Message'));
    const ref = (name: string) => dists.find((c) => c.name === name)!['bom-ref'] as string;
    const deps = new Map((doc.dependencies as Obj[]).map((d) => [d.ref as string, (d.dependsOn ?? []) as string[]]));
    assert.ok(deps.get(ref('Plack'))!.includes(ref('HTTP-Message')));
    // the cpanfile makes Plack a direct runtime dependency (requires 'Plack', '1.0048'); Mojolicious
    // comes through Mojolicious-Plugin-OpenAPI; a requirement on a core module is marked core
    const root = deps.get(doc.metadata.component['bom-ref'])!;
    const plack = dists.find((c) => c.name === 'Plack')!;
    assert.ok(root.includes(ref('Plack')));
    assert.deepEqual(prop(plack, 'cpan:dependency'), ['direct']);
    assert.deepEqual(prop(plack, 'cpan:prereq'), ['runtime requires Plack 1.0048', 'runtime requires Plack::App::Directory 0']);
    assert.equal(plack.scope, 'required');
    assert.ok(!root.includes(ref('Mojolicious')));
    assert.deepEqual(prop(mojo, 'cpan:dependency'), ['transitive']);
    assert.equal(mojo.scope, 'required');
    const base = (doc.components as Obj[]).find((c) => c.name === 'base')!;
    assert.deepEqual(prop(base, 'cpan:core'), ['true']);
    assert.deepEqual(prop(base, 'cpan:kind'), ['module']);
    assert.equal(doc.metadata.component.name, 'metacpan-api');
  });

  it('without a cpanfile, takes the distributions nothing requires as the direct ones', async () => {
    const p = path.join(dir, 'no-cpanfile');
    (await import('node:fs')).mkdirSync(p);
    copyFileSync(path.join(snapshotProject(dir), 'cpanfile.snapshot'), path.join(p, 'cpanfile.snapshot'));
    const sbom = await readSbomSource(p, { core });
    const direct = sbom.dependencies.get(sbom.root.ref)!;
    assert.ok(direct.size > 0 && direct.size < 369);
    assert.ok(sbom.properties.some(([n]) => n === 'cpan:direct-dependencies'));
    assertValid(renderSbom(sbom, { ...DOC, format: 'spdx' }), 'no-cpanfile SPDX');
  });
});

describe('document stability', () => {
  it('is byte-identical for the same input, clock and serial number; content serials follow the content', async () => {
    const [n, v, m, a] = RELEASES[2]!;
    const file = tarball(dir, n, v, m, a);
    const one = JSON.stringify(renderSbom(await readSbomSource(file, { core }), { ...DOC, format: 'cyclonedx' }));
    const two = JSON.stringify(renderSbom(await readSbomSource(file, { core }), { ...DOC, format: 'cyclonedx' }));
    assert.equal(one, two);
    const c1 = renderSbom(await readSbomSource(file, { core }), { ...DOC, format: 'cyclonedx', serialNumber: 'content' });
    const c2 = renderSbom(await readSbomSource(file, { core }), { ...DOC, format: 'cyclonedx', serialNumber: 'content' });
    assert.equal(c1.serialNumber, c2.serialNumber);
    assert.match(String(c1.serialNumber), /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
