/**
 * Every SBOM input is bounded and each limit is checked before the work it protects: hostile META
 * files (too many prerequisites, 100,000 nested authors, too large), gzip bombs, and documents to
 * validate (linear uniqueness: 20,000 components in well under the 21 s Ajv took; over-deep ones refused).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGzip } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { readSbomSource, SBOM_LIMITS, validateDocument } from '../../src/sbom/index.js';
import { cli } from '../helpers/cli.js';
import { tarHeader, tgz } from '../archive/build.js';
import { workDir } from './fixtures.js';
import type { Obj } from './helpers.js';
import { rmSync } from 'node:fs';

let dir: string;
before(() => {
  dir = workDir();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const meta = (extra: Record<string, unknown>) =>
  JSON.stringify({ name: 'Evil', version: '1.0', abstract: 'x', author: ['A <a@example.org>'], license: ['perl_5'], 'meta-spec': { version: 2 }, dynamic_config: 0, release_status: 'stable', generated_by: 'hand', ...extra });

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A gzip'ed tar of one entry `name` of `size` zero bytes, compressed as a stream (the test never holds it unpacked). */
async function bomb(name: string, size: number, fill = Buffer.alloc(1024 * 1024)): Promise<Buffer> {
  const gz = createGzip({ level: 6 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  gz.write(tarHeader({ name, size }));
  const mib = fill;
  for (let left = size; left > 0; left -= mib.length) if (!gz.write(left >= mib.length ? mib : mib.subarray(0, left))) await new Promise((r) => gz.once('drain', r));
  gz.end(Buffer.alloc(1024 + ((512 - (size % 512)) % 512)));
  await done;
  return Buffer.concat(out);
}

describe('hostile distributions are refused before the expensive work', () => {
  it('a META listing more prerequisites than the limit: an input error naming the file, no graph built', async () => {
    const requires = Object.fromEntries(Array.from({ length: SBOM_LIMITS.prereqs + 5000 }, (_, i) => [`Mod${i}::X`, '0']));
    const file = write('Evil-1.0.tar.gz', tgz([{ name: 'Evil-1.0/META.json', content: meta({ prereqs: { runtime: { requires } } }) }]));
    await assert.rejects(readSbomSource(file), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'PARSE_ERROR');
      assert.match(e.message, /Evil-1\.0\.tar\.gz\/Evil-1\.0\/META\.json: 25000 prerequisites, more than the 20000 cpansec accepts$/);
      return true;
    });
  });

  it('100,000 nested author entries: refused before parsing, no stack overflow', async () => {
    const nested = `${'['.repeat(100_000)}"a"${']'.repeat(100_000)}`;
    const file = write('Deep-1.0.tar.gz', tgz([{ name: 'Deep-1.0/META.json', content: meta({}).replace('"author":["A <a@example.org>"]', `"author":${nested}`) }]));
    await assert.rejects(readSbomSource(file), /Deep-1\.0\/META\.json:1: META file nested more than 64 levels deep \(refused before parsing\)/);
    const yml = write('Deep-2.0.tar.gz', tgz([{ name: 'Deep-2.0/META.yml', content: `name: Deep\nversion: 2.0\nauthor: ${'['.repeat(100_000)}a${']'.repeat(100_000)}\n` }]));
    await assert.rejects(readSbomSource(yml), /META\.yml:3: META file nested more than 64 levels deep/);
  });

  it('a 600 MiB gzip bomb as META.json is refused from its header, without inflating it', async () => {
    const bytes = await bomb('Bomb-1.0/META.json', 600 * 1024 * 1024);
    assert.ok(bytes.length < 1_000_000, `small on disk (${bytes.length} bytes)`);
    const file = write('Bomb-1.0.tar.gz', bytes);
    const rss = process.memoryUsage().rss;
    await assert.rejects(readSbomSource(file), /Bomb-1\.0\.tar\.gz: refused: unpacks to more than \d+ bytes from \d+ \(a decompression bomb\?\)/);
    assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, 'did not inflate it');
  });

  it('a META larger than the limit but within the archive budget is refused before it is read', async () => {
    // incompressible: within the ratio limit, so only the META limit refuses it
    const bytes = await bomb('Big-1.0/META.json', SBOM_LIMITS.metaBytes + 1, randomBytes(1024 * 1024));
    await assert.rejects(readSbomSource(write('Big-1.0.tar.gz', bytes)), /refused entry 'Big-1\.0\/META\.json': 8388609 bytes, more than the 8388608 allowed for it/);
  });
});

/** A CycloneDX 1.6 document of n components, each depending on the next. */
function bigDocument(n: number): Obj {
  const components = Array.from({ length: n }, (_, i) => ({ type: 'library', name: `Dist-${i}`, version: '1.0', 'bom-ref': `pkg:cpan/Dist-${i}@1.0`, purl: `pkg:cpan/Dist-${i}@1.0`, licenses: [{ expression: 'Artistic-1.0-Perl OR GPL-1.0-or-later' }] }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { timestamp: '2026-11-24T12:00:00Z', component: { type: 'application', name: 'app', 'bom-ref': 'app' } },
    components,
    dependencies: [{ ref: 'app', dependsOn: ['pkg:cpan/Dist-0@1.0'] }, ...components.map((c, i) => ({ ref: c['bom-ref'], dependsOn: i + 1 < n ? [components[i + 1]!['bom-ref']] : [] }))],
  };
}

describe('sbom validate is linear and bounded', () => {
  it('validates 20,000 components in seconds, and still finds a duplicate', () => {
    const doc = bigDocument(20_000);
    validateDocument(bigDocument(1)); // the schema's one-off compilation is not what is measured
    const t0 = Date.now();
    const r = validateDocument(doc)!;
    const ms = Date.now() - t0;
    assert.deepEqual(r.problems, []);
    assert.ok(ms < 8000, `took ${ms} ms`);
    (doc.components as Obj[])[19_999] = structuredClone((doc.components as Obj[])[7]!);
    const problems = validateDocument(doc)!.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(problems.includes('$.components: must NOT have duplicate items (items ## 7 and 19999 are identical)'), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("bom-ref 'pkg:cpan/Dist-7@1.0' is also used at $.components[7]")));
  });

  it('refuses a document nested deeper than the limit (exit 2) and one with more items than the limit', () => {
    let inner: Obj = { type: 'library', name: 'x' };
    for (let i = 0; i < 200; i++) inner = { type: 'library', name: `n${i}`, components: [inner] };
    const file = path.join(dir, 'deep.cdx.json');
    writeFileSync(file, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [inner] }));
    const r = cli(['sbom', 'validate', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cpansec: .*deep\.cdx\.json:1: document nested more than 128 levels deep \(refused before parsing\)\n$/);
    const many = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: Array.from({ length: SBOM_LIMITS.documentItems + 1 }, () => ({})) };
    assert.throws(() => validateDocument(many, 'many.json'), /many\.json: 500001 components, services, vulnerabilities, dependencies or relationships: more than the 500000 cpansec validates/);
  });
});
