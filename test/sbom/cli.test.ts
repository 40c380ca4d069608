import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tgz } from '../archive/build.js';
import { snapshotProject, tarball, workDir } from './fixtures.js';
import { assertValid, type Obj } from './helpers.js';

let dir: string;
let plack: string;
const EPOCH = { SOURCE_DATE_EPOCH: '1790000000' };

before(() => {
  dir = workDir();
  plack = tarball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('cpansec sbom', () => {
  it('writes a CycloneDX 1.6 document to a file, atomically, and the same bytes again under SOURCE_DATE_EPOCH', () => {
    const out = path.join(dir, 'plack.cdx.json');
    const r = cli(['sbom', plack, '-o', out], { env: EPOCH });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const doc = JSON.parse(readFileSync(out, 'utf8')) as Obj;
    assertValid(doc, 'cli cyclonedx');
    assert.equal(doc.specVersion, '1.6');
    assert.equal(doc.metadata.timestamp, new Date(1790000000 * 1000).toISOString());
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file left');
    const again = cli(['sbom', plack], { env: EPOCH });
    assert.equal(again.stdout, readFileSync(out, 'utf8'), 'reproducible');
  });

  it('writes SPDX 2.3 and CycloneDX 1.5 on request', () => {
    const spdx = cli(['sbom', plack, '--format', 'spdx']);
    assert.equal(spdx.status, 0, spdx.stderr);
    assertValid(JSON.parse(spdx.stdout), 'cli spdx');
    const v15 = cli(['sbom', 'generate', plack, '--spec-version', '1.5']);
    assert.equal(v15.status, 0, v15.stderr);
    assert.equal((JSON.parse(v15.stdout) as Obj).specVersion, '1.5');
    assertValid(JSON.parse(v15.stdout), 'cli 1.5');
    const mixed = cli(['sbom', plack, '--format', 'spdx', '--spec-version', '1.5']);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /^cpansec: --spec-version is for CycloneDX/);
  });

  it('refuses a hostile tarball with one line naming it, exit 2, and writes nothing', () => {
    const evil = path.join(dir, 'Evil-1.0.tar.gz');
    writeFileSync(evil, tgz([{ name: 'Evil-1.0/META.json', content: '{}' }, { name: 'Evil-1.0/../../pwned', content: 'x' }]));
    const out = path.join(dir, 'evil.json');
    const r = cli(['sbom', evil, '-o', out]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `cpansec: ${evil}: refused entry 'Evil-1.0/../../pwned': path traversal ('..')\n`);
    assert.ok(!existsSync(out), 'no output file');
    assert.ok(!existsSync(path.join(dir, '..', 'pwned')) && !existsSync(path.join(dir, 'pwned')));
  });

  it('says what is missing in an archive without META and in a directory with nothing to describe', () => {
    const bare = path.join(dir, 'Bare-1.0.tar.gz');
    writeFileSync(bare, tgz([{ name: 'Bare-1.0/lib/Bare.pm', content: '1;' }]));
    const r = cli(['sbom', bare]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `cpansec: ${bare}: no META.json or META.yml in the distribution (looked in Bare-1.0/)\n`);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const e = cli(['sbom', empty]);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /^cpansec: .*empty: nothing to describe/);
  });
});

describe('cpansec sbom validate', () => {
  it('exits 0 for a valid document, 1 with each problem and its path, 2 when unreadable', () => {
    const good = path.join(dir, 'good.json');
    writeFileSync(good, cli(['sbom', plack]).stdout);
    const ok = cli(['sbom', 'validate', good]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, `${good}: valid CycloneDX 1.6\n`);
    const doc = JSON.parse(readFileSync(good, 'utf8')) as Obj;
    doc.components[0].scope = 'always';
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const r = cli(['sbom', 'validate', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /invalid CycloneDX 1\.6 \(1 problem\)\n {2}\$\.components\[0\]\.scope: must be one of/);
    const json = cli(['sbom', 'validate', bad, '--format', 'json']);
    assert.equal(json.status, 1);
    assert.equal((JSON.parse(json.stdout) as Obj).problems[0].path, '$.components[0].scope');
    const missing = cli(['sbom', 'validate', path.join(dir, 'nope.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^cpansec: .*nope\.json: cannot read: ENOENT\n$/);
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{\n  "bomFormat": "CycloneDX",\n  oops\n}');
    const nj = cli(['sbom', 'validate', notJson]);
    assert.equal(nj.status, 2);
    assert.match(nj.stderr, /not\.json:3: not valid JSON/);
    const old = path.join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.2' }));
    assert.equal(cli(['sbom', 'validate', old]).status, 2);
    const other = path.join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const o = cli(['sbom', 'validate', other]);
    assert.equal(o.status, 1);
    assert.match(o.stdout, /not a CycloneDX or SPDX document/);
  });
});

describe('cpansec sbom diff', () => {
  it('exits 0 when nothing changed and 1 with the changes', () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.spdx.json');
    writeFileSync(a, cli(['sbom', plack]).stdout);
    writeFileSync(b, cli(['sbom', plack, '-f', 'spdx']).stdout);
    const same = cli(['sbom', 'diff', a, b]);
    assert.equal(same.status, 0, same.stdout + same.stderr);
    const doc = JSON.parse(readFileSync(a, 'utf8')) as Obj;
    doc.components = doc.components.slice(1);
    const c = path.join(dir, 'c.json');
    writeFileSync(c, JSON.stringify(doc));
    const d = cli(['sbom', 'diff', a, c, '--format', 'json']);
    assert.equal(d.status, 1);
    assert.equal((JSON.parse(d.stdout) as Obj).removed.length, 1);
  });
});

describe('vulnerabilities and VEX', () => {
  it('--with-vulnerabilities and audit --format cyclonedx-vex report the same advisories, linked to components', () => {
    const project = snapshotProject(dir);
    const out = path.join(dir, 'with-vulns.json');
    const sbom = cli(['sbom', project, '--with-vulnerabilities', '-o', out]);
    assert.equal(sbom.status, 0, sbom.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as Obj;
    assertValid(doc, 'with vulnerabilities');
    const refs = new Set((doc.components as Obj[]).map((c) => c['bom-ref']));
    assert.ok(doc.vulnerabilities.length > 0);
    for (const v of doc.vulnerabilities as Obj[]) {
      for (const a of v.affects) assert.ok(refs.has(a.ref), `${v.id} affects ${a.ref}`);
    }
    const sereal = (doc.vulnerabilities as Obj[]).find((v) => v.references?.some((r: Obj) => r.id === 'CVE-2026-8796'));
    assert.ok(sereal, 'the Sereal-Decoder advisory of the snapshot');
    assert.match(sereal.recommendation, /^Upgrade Sereal-Decoder to [\d.]+ or later\.$/);
    assert.ok(sereal.affects[0].ref.startsWith('pkg:cpan/Sereal-Decoder@'));

    const vex = cli(['audit', 'deps', path.join(project, 'cpanfile.snapshot'), '--format', 'cyclonedx-vex']);
    assert.equal(vex.status, 1, 'vulnerable: exit 1 as for any audit format');
    const v = JSON.parse(vex.stdout) as Obj;
    assertValid(v, 'vex');
    assert.deepEqual((v.vulnerabilities as Obj[]).map((x) => x.id).sort(), (doc.vulnerabilities as Obj[]).map((x) => x.id).sort());
    for (const x of v.vulnerabilities as Obj[]) assert.equal(x.analysis.state, 'in_triage');
    // the CPANSA data carries severities (no CVSS vectors yet): rated with method "other"
    assert.ok((v.vulnerabilities as Obj[]).some((x) => x.ratings?.some((r: Obj) => r.method === 'other' && ['high', 'critical'].includes(r.severity))), 'severity ratings');
  });

  it('records an ignore rule with its reason as not_affected in the VEX', () => {
    const project = snapshotProject(dir);
    const ignore = path.join(dir, 'ignore.yml');
    const id = (JSON.parse(cli(['audit', 'deps', project, '--format', 'cyclonedx-vex']).stdout) as Obj).vulnerabilities[0].id as string;
    writeFileSync(ignore, `ignore:\n  - id: ${id}\n    reason: not reachable from our code\n`);
    const r = cli(['audit', 'deps', project, '--format', 'cyclonedx-vex', '--ignore', ignore]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const x = (JSON.parse(r.stdout) as Obj).vulnerabilities.find((v: Obj) => v.id === id);
    assert.equal(x.analysis.state, 'not_affected');
    assert.match(x.analysis.detail, /not reachable from our code/);
  });
});
