/**
 * Wrong answers found by checking SBOMs from outside (issue 13), each on a real release or input:
 * the described distribution audited, a distribution directory that ships a cpanfile, the two cpan
 * purl forms in a diff, cpanfile requirements with git/ref options, the VEX of an audit.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { diffSboms, isEmptyDiff, justificationOf, packageIdentity, readSbomSource, renderSbom } from '../../src/sbom/index.js';
import { snapshotProject, tarball, unpacked, workDir } from './fixtures.js';
import { assertValid, core, DOC, prop, type Obj } from './helpers.js';

let dir: string;
before(() => {
  dir = workDir();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const ids = (list: Obj[]) => list.map((v) => v.id as string).sort();

describe('--with-vulnerabilities audits the distribution the SBOM describes', () => {
  it('lists every advisory `audit dist` finds for the real DBI 1.632 release, affecting the root', () => {
    const dbi = tarball(dir, 'DBI', '1.632', 'DBI-1.632.META.yml', 'TIMB');
    const sbom = cli(['sbom', dbi, '--with-vulnerabilities']);
    assert.equal(sbom.status, 0, sbom.stderr);
    const doc = JSON.parse(sbom.stdout) as Obj;
    assertValid(doc, 'DBI with vulnerabilities');
    const rootRef = doc.metadata.component['bom-ref'] as string;
    const onRoot = (doc.vulnerabilities as Obj[]).filter((v) => (v.affects as Obj[]).some((a) => a.ref === rootRef));
    const audit = cli(['audit', 'dist', 'DBI', '1.632', '--format', 'json']);
    assert.equal(audit.status, 1, audit.stderr);
    const found = (JSON.parse(audit.stdout) as Obj).dependencies.flatMap((f: Obj) => (f.advisories as Obj[]).map((a) => a.id as string));
    assert.ok(found.length >= 5, `audit dist finds DBI 1.632's advisories (${found.length})`);
    assert.deepEqual(ids(onRoot), [...new Set(found)].sort());
    const one = onRoot[0]!;
    assert.deepEqual(one.affects, [{ ref: rootRef, versions: [{ version: '1.632', status: 'affected' }] }]);
  });
});

describe('a directory with META files is the distribution they describe', () => {
  it('keeps name, version, purl, licence and authors of Plack 1.0050 though it ships a cpanfile', async () => {
    const root = unpacked(path.join(dir, 'plack-dir'), 'Plack', '1.0050', 'Plack-1.0050.META.json');
    writeFileSync(path.join(root, 'cpanfile'), "requires 'HTTP::Message', '5.814';\nrequires 'Hash::MultiValue', '0.05';\non test => sub {\n    requires 'Test::More', '0.88';\n};\n");
    const doc = renderSbom(await readSbomSource(root, { core, author: 'MIYAGAWA' }), { ...DOC, format: 'cyclonedx' }) as Obj;
    assertValid(doc, 'Plack dir');
    const c = doc.metadata.component as Obj;
    assert.equal(c.name, 'Plack');
    assert.equal(c.version, '1.0050');
    assert.equal(c.purl, 'pkg:cpan/Plack@1.0050?author=MIYAGAWA');
    assert.deepEqual(c.licenses, [{ expression: 'Artistic-1.0-Perl OR GPL-1.0-or-later' }]);
    assert.deepEqual(c.authors, [{ name: 'Tatsuhiko Miyagawa' }]);
    assert.deepEqual(prop(doc.metadata, 'cpan:source-kind'), ['directory']);
    assert.deepEqual(prop(doc.metadata, 'cpan:source-file'), ['Plack-1.0050']);
  });
});

describe('sbom diff compares packages by their normalised identity', () => {
  it('matches pkg:cpan/ETHER/Try-Tiny@0.32 and pkg:cpan/Try-Tiny@0.32?author=ETHER', () => {
    assert.equal(packageIdentity('Try-Tiny', 'pkg:cpan/ETHER/Try-Tiny@0.32'), packageIdentity('Try-Tiny', 'pkg:cpan/Try-Tiny@0.32?author=ETHER'));
    assert.equal(packageIdentity('x', 'pkg:npm/%40scope/pkg@1.0'), 'pkg:npm/%40scope/pkg');
  });

  it('finds nothing changed between our snapshot SBOM and the same with CPAN::SBOM-style purls', async () => {
    const ours = renderSbom(await readSbomSource(snapshotProject(path.join(dir, 'diff')), { core }), { ...DOC, format: 'cyclonedx' }) as Obj;
    const theirs = structuredClone(ours);
    let rewritten = 0;
    for (const c of theirs.components as Obj[]) {
      const m = /^pkg:cpan\/([^@?]+)@([^?]+)\?author=([A-Z0-9-]+)$/.exec(String(c.purl ?? ''));
      if (!m) continue;
      c.purl = `pkg:cpan/${m[3]}/${m[1]}@${m[2]}`;
      rewritten++;
    }
    assert.ok(rewritten > 50);
    const d = diffSboms(ours, theirs);
    assert.ok(isEmptyDiff(d), JSON.stringify(d).slice(0, 300));
    // a real change is still one
    const bumped = structuredClone(theirs);
    const tt = (bumped.components as Obj[]).find((c) => c.name === 'Try-Tiny')!;
    tt.version = '9.99';
    tt.purl = String(tt.purl).replace(/@[^?]+/, '@9.99');
    assert.deepEqual(diffSboms(ours, bumped).changed.map((c) => [c.from.name, c.to.version]), [['Try-Tiny', '9.99']]);
  });
});

describe('cpanfile requirement options', () => {
  it("reads `requires 'X', git => URL, ref => 'main'` as X at any version, from URL", async () => {
    const p = path.join(dir, 'gitdep');
    mkdirSync(p, { recursive: true });
    writeFileSync(path.join(p, 'cpanfile'), "requires 'Plack', '1.0';\nrequires 'My::Thing',\n    git => 'https://github.com/example/My-Thing.git', ref => 'main';\nrequires 'Other', dist => 'AUTHOR/Other-1.0.tar.gz';\n");
    const doc = renderSbom(await readSbomSource(p, { core }), { ...DOC, format: 'cyclonedx' }) as Obj;
    assertValid(doc, 'git cpanfile');
    const thing = (doc.components as Obj[]).find((c) => c.name === 'My::Thing')!;
    assert.deepEqual(prop(thing, 'cpan:prereq'), ['runtime requires My::Thing 0']);
    assert.deepEqual(thing.externalReferences, [{ type: 'vcs', url: 'https://github.com/example/My-Thing.git' }]);
    assert.deepEqual(prop(thing, 'cpan:prereq-option'), ['git=https://github.com/example/My-Thing.git', 'ref=main']);
    const other = (doc.components as Obj[]).find((c) => c.name === 'Other')!;
    assert.deepEqual(prop(other, 'cpan:prereq'), ['runtime requires Other 0']);
    const plack = (doc.components as Obj[]).find((c) => c.name === 'Plack')!;
    assert.deepEqual(prop(plack, 'cpan:prereq'), ['runtime requires Plack 1.0']);
  });
});

describe('the VEX of an audit', () => {
  it('reads a justification from an ignore rule, and invents none', () => {
    assert.deepEqual(justificationOf({ reason: 'code_not_reachable: only the client side is used' }), { justification: 'code_not_reachable', detail: 'only the client side is used' });
    assert.deepEqual(justificationOf({ reason: '[requires configuration] needs the XS backend' }), { justification: 'requires_configuration', detail: 'needs the XS backend' });
    assert.deepEqual(justificationOf({ reason: 'we do not parse untrusted input' }), { detail: 'we do not parse untrusted input' });
    assert.deepEqual(justificationOf({ reason: 'x', justification: 'protected_at_runtime' }), { justification: 'protected_at_runtime', detail: 'x' });
  });

  it('gives not_affected a justification, refs without spaces, no path of this machine, and the same bytes under SOURCE_DATE_EPOCH', () => {
    const p = snapshotProject(path.join(dir, 'vex'));
    const audit = cli(['audit', 'deps', p, '--format', 'json']);
    const first = (JSON.parse(audit.stdout) as Obj).dependencies.flatMap((f: Obj) => (f.advisories as Obj[]).map((a) => a.id as string))[0] as string;
    assert.ok(first, 'the metacpan-api snapshot has advisories');
    writeFileSync(path.join(p, '.cpansec-ignore.yml'), `ignore:\n  - id: ${first}\n    reason: "code_not_reachable: the affected function is never called"\n`);
    const env = { SOURCE_DATE_EPOCH: '1790000000' };
    const run = () => cli(['audit', 'deps', p, '--format', 'cyclonedx-vex', '--ignore', path.join(p, '.cpansec-ignore.yml')], { env });
    const r = run();
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as Obj;
    assertValid(doc, 'vex');
    assert.equal(doc.metadata.timestamp, new Date(1790000000 * 1000).toISOString());
    assert.equal(run().stdout, r.stdout, 'reproducible');
    const ignored = (doc.vulnerabilities as Obj[]).find((v) => v.id === first)!;
    assert.deepEqual(ignored.analysis.state, 'not_affected');
    assert.deepEqual(ignored.analysis.justification, 'code_not_reachable');
    const refs = [doc.metadata.component, ...(doc.components as Obj[])].map((c) => c['bom-ref'] as string);
    assert.deepEqual(refs.filter((ref) => /\s/.test(ref)), []);
    assert.ok(!r.stdout.includes(dir), 'no absolute path of this machine');
    assert.ok(readFileSync(path.join(p, 'cpanfile.snapshot')).length > 0);
  });
});
