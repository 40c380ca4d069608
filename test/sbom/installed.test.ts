/**
 * An installed tree as cpanm leaves it (local/lib/perl5/<archname>/.meta/<Dist-Version>/ with
 * install.json and MYMETA.json): the distributions, and the graph from their MYMETA prerequisites.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readInstallRecords, readSbomSource, toCycloneDx, toSpdx } from '../../src/sbom/index.js';
import { cli } from '../helpers/cli.js';
import { installedProject, workDir } from './fixtures.js';
import { assertValid, core, DOC, prop, type Obj } from './helpers.js';

let dir: string;
before(() => (dir = workDir()));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CycloneDX document of a tree, with lookups by name and the graph as name -> names. */
async function describeTree(target: string) {
  const doc = toCycloneDx(await readSbomSource(target, { core }), DOC) as Obj;
  assertValid(doc, target);
  const components = doc.components as Obj[];
  const byName = new Map(components.map((c) => [c.name as string, c]));
  const nameOf = new Map([[doc.metadata.component['bom-ref'] as string, '(root)'], ...components.map((c): [string, string] => [c['bom-ref'], c.name])]);
  const deps = (name: string) => {
    const ref = name === '(root)' ? doc.metadata.component['bom-ref'] : byName.get(name)!['bom-ref'];
    return ((doc.dependencies as Obj[]).find((d) => d.ref === ref)?.dependsOn ?? []).map((r: string) => nameOf.get(r)).sort() as string[];
  };
  return { doc, byName, deps };
}

describe('an installed tree (local/)', () => {
  it('lists each recorded distribution at its version, from its CPAN path, with MYMETA licence and resources', async () => {
    const { doc, byName } = await describeTree(path.join(installedProject(dir, { name: 'app1' }), 'local'));
    assert.equal(doc.metadata.component.name, 'app1');
    assert.deepEqual(prop(doc.metadata, 'cpan:source-kind'), ['installed']);
    const plack = byName.get('Plack')!;
    assert.equal(plack.purl, 'pkg:cpan/Plack@1.0050?author=MIYAGAWA');
    assert.deepEqual(prop(plack, 'cpan:pathname'), ['M/MI/MIYAGAWA/Plack-1.0050.tar.gz']);
    assert.deepEqual(plack.licenses, [{ expression: 'Artistic-1.0-Perl OR GPL-1.0-or-later' }]);
    assert.equal(plack.description, 'Perl Superglue for Web frameworks and Web Servers (PSGI toolkit)');
    assert.ok(prop(plack, 'cpan:provides').includes('Plack::Request 1.0050'));
    assert.ok(plack.externalReferences.some((r: Obj) => r.type === 'vcs' && r.url === 'https://github.com/plack/Plack.git'));
    assert.match(prop(plack, 'cpan:installed-from')[0]!, /x86_64-linux\/\.meta\/Plack-1\.0050$/);
    assert.deepEqual(byName.get('Try-Tiny')!.licenses, [{ expression: 'MIT' }]);
    // install.json `name` is the main module (LWP): the distribution is libwww-perl, as its path says
    const lwp = byName.get('libwww-perl')!;
    assert.equal(lwp.purl, 'pkg:cpan/libwww-perl@6.08?author=MSCHILLI');
    assert.deepEqual(prop(lwp, 'cpan:main-module'), ['LWP 6.08']);
    assert.ok(!byName.has('LWP'));
    assert.ok(lwp.externalReferences.some((r: Obj) => r.type === 'mailing-list' && r.url === 'mailto:libwww@perl.org'));
    // a module without a record, at the version read from its file; a recorded one is its distribution
    assert.equal(byName.get('Mojolicious')!.version, '9.30');
    assert.deepEqual(prop(byName.get('Mojolicious')!, 'cpan:kind'), ['module']);
    assert.ok(!byName.has('Plack::Request') && !byName.has('URI::Escape'));
  });

  it('builds the graph from the MYMETA prerequisites, each module resolved to the distribution that provides it', async () => {
    const { doc, byName, deps } = await describeTree(path.join(installedProject(dir, { name: 'app2' }), 'local'));
    // Plack: runtime requires Try::Tiny and URI, runtime suggests LWP::UserAgent (libwww-perl is installed)
    for (const d of ['Try-Tiny', 'URI', 'libwww-perl', 'Pod::Usage', 'parent', 'ExtUtils::MakeMaker', 'Test::More']) assert.ok(deps('Plack').includes(d), `Plack -> ${d}`);
    assert.ok(deps('libwww-perl').includes('URI'), 'libwww-perl requires URI and URI::Escape: both URI-1.65');
    assert.deepEqual(deps('URI'), ['Exporter', 'ExtUtils::MakeMaker', 'File::Temp', 'MIME::Base64', 'Scalar::Util', 'Test', 'Test::More', 'parent', 'utf8']);
    // a runtime requirement nothing installed provides is a hole; absent test or optional ones are not
    const hole = byName.get('HTTP::Message')!;
    assert.deepEqual(prop(hole, 'cpan:unresolved'), ['true']);
    assert.ok(deps('Plack').includes('HTTP::Message'));
    assert.ok(!byName.has('Test::Requires'), "Plack's test requires, not installed (cpanm --notest)");
    assert.ok(!byName.has('Capture::Tiny'), "Try-Tiny's test recommends, not installed");
    assert.deepEqual(prop(byName.get('Carp')!, 'cpan:core'), ['true']);
    assert.deepEqual(prop(byName.get('Carp')!, 'cpan:unresolved'), []);
    // no cpanfile: the direct dependencies are what nothing installed requires
    assert.deepEqual(deps('(root)'), ['Mojolicious', 'Plack']);
    assert.ok(prop(doc.metadata, 'cpan:direct-dependencies')[0]!.startsWith('inferred'));
    // scopes along the chains: LWP is only suggested, Test::More only for tests
    assert.equal(byName.get('Plack')!.scope, 'required');
    assert.equal(byName.get('Try-Tiny')!.scope, 'required');
    assert.deepEqual(prop(byName.get('Try-Tiny')!, 'cpan:dependency'), ['transitive']);
    assert.equal(byName.get('libwww-perl')!.scope, 'optional');
    assert.equal(byName.get('Encode::Locale')!.scope, 'optional', "libwww-perl's runtime requires, through an optional edge");
    assert.equal(byName.get('URI')!.scope, 'required', 'Plack requires it: the stronger path wins');
    assert.equal(byName.get('Test::More')!.scope, 'excluded');
    assert.deepEqual(prop(byName.get('Plack')!, 'cpan:requires-perl'), ['runtime requires 5.008001']);
  });

  it('gives each SPDX edge the phase the MYMETA names', async () => {
    const p = installedProject(dir, { name: 'app3' });
    const doc = toSpdx(await readSbomSource(path.join(p, 'local', 'lib', 'perl5'), { core }), DOC) as Obj;
    assertValid(doc, 'installed SPDX');
    assert.equal(doc.packages.find((x: Obj) => x.SPDXID === doc.documentDescribes[0]).name, 'app3', 'local/lib/perl5 belongs to the project above local/');
    const id = (name: string) => doc.packages.find((x: Obj) => x.name === name).SPDXID as string;
    const rel = (a: string, type: string, b: string) => doc.relationships.some((r: Obj) => r.spdxElementId === id(a) && r.relationshipType === type && r.relatedSpdxElement === id(b));
    assert.ok(rel('Plack', 'DEPENDS_ON', 'URI'));
    assert.ok(rel('libwww-perl', 'OPTIONAL_DEPENDENCY_OF', 'Plack'));
    assert.ok(rel('libwww-perl', 'TEST_DEPENDENCY_OF', 'Plack'), 'test suggests LWP::UserAgent too');
    assert.ok(rel('Test::More', 'TEST_DEPENDENCY_OF', 'Try-Tiny'));
    assert.ok(rel('ExtUtils::MakeMaker', 'BUILD_DEPENDENCY_OF', 'URI'));
    assert.ok(!rel('Plack', 'DEPENDS_ON', 'libwww-perl'));
  });

  it("takes the direct dependencies from the project's cpanfile beside local/", async () => {
    const p = installedProject(dir, { name: 'app4', cpanfile: "requires 'Plack', '1.0048';\nrequires 'Try::Tiny';\non test => sub {\n    requires 'Test::More', '0.98';\n};\n" });
    const { doc, byName, deps } = await describeTree(path.join(p, 'local'));
    assert.deepEqual(deps('(root)'), ['Plack', 'Test::More', 'Try-Tiny']);
    assert.deepEqual(prop(byName.get('Plack')!, 'cpan:prereq'), ['runtime requires Plack 1.0048']);
    assert.deepEqual(prop(byName.get('Try-Tiny')!, 'cpan:dependency'), ['direct']);
    assert.equal(byName.get('Test::More')!.scope, 'excluded');
    // relative to the project: no path of the machine that made the document
    assert.deepEqual(prop(doc.metadata, 'cpan:direct-from'), ['cpanfile']);
    assert.deepEqual(prop(doc.metadata, 'cpan:source-file'), ['local/lib/perl5']);
    assert.deepEqual(prop(byName.get('Plack')!, 'cpan:installed-from'), ["local/lib/perl5/x86_64-linux/.meta/Plack-1.0050"]);
    assert.ok(!JSON.stringify(doc).includes(dir), 'no absolute path of this machine anywhere in the document');
    assert.deepEqual(prop(byName.get('Mojolicious')!, 'cpan:dependency'), [], 'installed, but nothing the project names reaches it');
  });

  it('reads records without following links, and names a broken one', () => {
    const p = installedProject(dir, { name: 'app5' });
    const meta = path.join(p, 'local', 'lib', 'perl5', 'x86_64-linux', '.meta');
    const outside = path.join(dir, 'outside', 'Evil-1.0');
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'install.json'), JSON.stringify({ name: 'Evil', dist: 'Evil-1.0', pathname: 'E/EV/EVIL/Evil-1.0.tar.gz', provides: {} }));
    symlinkSync(outside, path.join(meta, 'Evil-1.0'));
    mkdirSync(path.join(meta, 'Sneaky-1.0'));
    symlinkSync(path.join(outside, 'install.json'), path.join(meta, 'Sneaky-1.0', 'install.json'));
    const records = readInstallRecords(path.join(p, 'local', 'lib', 'perl5'));
    assert.deepEqual(records.map((r) => `${r.distribution}-${r.version}`), ['libwww-perl-6.08', 'Plack-1.0050', 'Try-Tiny-0.22', 'URI-1.65']);
    mkdirSync(path.join(meta, 'Broken-1.0'));
    writeFileSync(path.join(meta, 'Broken-1.0', 'install.json'), '{"name": "Broken",');
    const r = cli(['sbom', path.join(p, 'local')]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^cpansec: .*Broken-1\.0\/install\.json: install record is not JSON: .*\n$/);
  });

  it('from the command line, as SPDX', () => {
    const p = installedProject(dir, { name: 'app6' });
    const r = cli(['sbom', path.join(p, 'local'), '--format', 'spdx']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Obj;
    assertValid(doc, 'cli installed SPDX');
    assert.ok(doc.packages.some((x: Obj) => x.name === 'libwww-perl' && x.versionInfo === '6.08'));
  });
});
