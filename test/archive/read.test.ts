import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { distributionRoot, readArchive, readArchiveBuffer } from '../../src/archive/index.js';
import { CpansecError } from '../../src/errors.js';
import { gzipBomb, tar, tgz } from './build.js';

let work: string;
let snapshotOfParent: string[];

before(() => {
  work = mkdtempSync(path.join(tmpdir(), 'cpansec-archive-'));
  mkdirSync(path.join(work, 'inside'));
  snapshotOfParent = readdirSync(tmpdir());
});
after(() => rmSync(work, { recursive: true, force: true }));

function zip(files: { name: string; content: string; mode?: number }[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const z = new yazl.ZipFile();
    for (const f of files) z.addBuffer(Buffer.from(f.content), f.name, { ...(f.mode ? { mode: f.mode } : {}), mtime: new Date(1_700_000_000_000) });
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.end();
  });
}

/** A .tgz made by tar(1) of the directory `top`, which `fill` writes; nothing of it is left in the work dir. */
function tarredByTar(top: string, fill: (dir: string) => void): Buffer {
  const src = path.join(work, `tar-${top}`);
  mkdirSync(path.join(src, top), { recursive: true });
  fill(path.join(src, top));
  const file = `${src}.tgz`;
  execFileSync('tar', ['czf', file, '-C', src, top]);
  const bytes = readFileSync(file);
  rmSync(file);
  rmSync(src, { recursive: true });
  return bytes;
}

/** Write the archive into the work dir, read it there, and expect a one-line error naming the file. */
async function refused(name: string, bytes: Buffer, pattern: RegExp, code = 'UNSAFE_ARCHIVE'): Promise<void> {
  const file = path.join(work, 'inside', name);
  writeFileSync(file, bytes);
  const before = readdirSync(path.join(work, 'inside')).sort();
  await assert.rejects(readArchive(file), (e: unknown) => {
    assert.ok(e instanceof CpansecError, String(e));
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.startsWith(`${file}: `), e.message);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
  // nothing written anywhere: not beside the archive, not above it, not in the temp dir
  assert.deepEqual(readdirSync(path.join(work, 'inside')).sort(), before);
  assert.deepEqual(readdirSync(work).sort(), ['inside']);
  assert.deepEqual(readdirSync(tmpdir()).filter((f) => !snapshotOfParent.includes(f) && !f.startsWith('cpansec-')), []);
}

describe('reading distribution archives', () => {
  it('reads a tarball made by tar(1): entries, kept contents, the distribution root', async () => {
    const src = path.join(work, 'src');
    mkdirSync(path.join(src, 'Foo-Bar-1.23', 'lib', 'Foo'), { recursive: true });
    writeFileSync(path.join(src, 'Foo-Bar-1.23', 'META.json'), '{"name":"Foo-Bar"}');
    writeFileSync(path.join(src, 'Foo-Bar-1.23', 'lib', 'Foo', 'Bar.pm'), 'package Foo::Bar; 1;');
    const file = path.join(work, 'Foo-Bar-1.23.tar.gz');
    execFileSync('tar', ['czf', file, '-C', src, 'Foo-Bar-1.23']);
    const archive = await readArchive(file, { keep: (p) => p.endsWith('META.json') });
    assert.equal(archive.format, 'tar.gz');
    assert.equal(distributionRoot(archive), 'Foo-Bar-1.23');
    assert.deepEqual(
      archive.entries.filter((e) => e.type === 'file').map((e) => e.path).sort(),
      ['Foo-Bar-1.23/META.json', 'Foo-Bar-1.23/lib/Foo/Bar.pm'],
    );
    assert.deepEqual([...archive.contents.keys()], ['Foo-Bar-1.23/META.json']);
    assert.equal(archive.contents.get('Foo-Bar-1.23/META.json')!.toString(), '{"name":"Foo-Bar"}');
    rmSync(file);
    rmSync(src, { recursive: true });
  });

  it('reads a plain tar and a zip', async () => {
    const t = await readArchiveBuffer(tar([{ name: 'A-1/x', content: 'x' }]), 'a.tar');
    assert.equal(t.format, 'tar');
    assert.equal(t.contents.get('A-1/x')!.toString(), 'x');
    const z = await readArchiveBuffer(await zip([{ name: 'Z-1/META.yml', content: 'name: Z' }]), 'z.zip');
    assert.equal(z.format, 'zip');
    assert.equal(z.contents.get('Z-1/META.yml')!.toString(), 'name: Z');
    assert.equal(distributionRoot(z), 'Z-1');
  });

  it('refuses path traversal', async () => {
    await refused('traversal.tar.gz', tgz([{ name: 'Evil-1.0/../../escaped', content: 'pwned' }]), /refused entry 'Evil-1\.0\/\.\.\/\.\.\/escaped': path traversal/);
  });

  it('refuses absolute paths', async () => {
    await refused('absolute.tgz', tgz([{ name: '/tmp/cpansec-escaped', content: 'pwned' }]), /'\/tmp\/cpansec-escaped': absolute path/);
  });

  it('refuses symbolic links (made by tar(1)) and never follows them', async () => {
    const bytes = tarredByTar('Link-1.0', (d) => symlinkSync('/etc/passwd', path.join(d, 'passwd')));
    await refused('symlink.tgz', bytes, /refused entry 'Link-1\.0\/passwd': a symbolic link to '\/etc\/passwd'/);
  });

  it('refuses hard links (made by tar(1))', async () => {
    const bytes = tarredByTar('Hard-1.0', (d) => {
      writeFileSync(path.join(d, 'a'), 'a');
      linkSync(path.join(d, 'a'), path.join(d, 'b'));
    });
    await refused('hardlink.tgz', bytes, /refused entry 'Hard-1\.0\/[ab]': a hard link to 'Hard-1\.0\/[ab]'/);
  });

  it('refuses devices', async () => {
    await refused('device.tgz', tgz([{ name: 'Dev-1.0/null', type: '3' }]), /unsupported entry type CharacterDevice/);
  });

  it('refuses a gzip bomb without unpacking it', async () => {
    const bomb = gzipBomb(64 * 1024 * 1024);
    assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`);
    const rss = process.memoryUsage().rss;
    await refused('bomb.tar.gz', bomb, /refused: unpacks to more than \d+ bytes from \d+ \(a decompression bomb\?\)/);
    assert.ok(process.memoryUsage().rss - rss < 48 * 1024 * 1024, 'did not unpack 64 MiB');
  });

  it('refuses a truncated tarball', async () => {
    const whole = tgz([{ name: 'Cut-1.0/a', content: 'a'.repeat(5000) }, { name: 'Cut-1.0/b', content: 'b'.repeat(5000) }]);
    await refused('truncated.tar.gz', whole.subarray(0, Math.floor(whole.length / 2)), /truncated/);
    const plain = tar([{ name: 'Cut-1.0/a', content: 'a'.repeat(5000) }]);
    await refused('truncated.tar', plain.subarray(0, 1024), /truncated/);
    await refused('mid-block.tar', plain.subarray(0, 700), /truncated/);
  });

  it('refuses a file that is not an archive', async () => {
    await refused('README.tar.gz', Buffer.from('this is not a tarball\n'), /not an archive/, 'PARSE_ERROR');
    await refused('empty.tgz', Buffer.alloc(0), /the file is empty/, 'PARSE_ERROR');
    await refused('garbage.tar', Buffer.alloc(2048, 7), /not an archive/, 'PARSE_ERROR');
  });

  it('refuses an archive holding the same file twice', async () => {
    await refused('twice.tgz', tgz([{ name: 'Dup-1/META.json', content: '{}' }, { name: 'Dup-1/META.json', content: '{"x":1}' }]), /holds it twice/);
  });

  it('enforces the entry-count and size limits', async () => {
    const many = tar(Array.from({ length: 12 }, (_, i) => ({ name: `Many-1/f${i}`, content: 'x' })));
    await assert.rejects(readArchiveBuffer(many, 'many.tar', { limits: { maxEntries: 10 } }), /many\.tar: refused: more than 10 entries/);
    await assert.rejects(readArchiveBuffer(tgz([{ name: 'Big-1/f', content: 'x'.repeat(4096) }]), 'big.tgz', { limits: { maxTotalBytes: 1000, ratioFloorBytes: 0 } }), /big\.tgz: refused/);
  });

  it('refuses hostile zips: traversal, absolute paths, symbolic links', async () => {
    const traversal = await zip([{ name: 'aa/evil.txt', content: 'pwned' }]);
    // same-length rename in both the local and the central header: yazl itself refuses to write '..'
    const patched = Buffer.from(traversal.toString('latin1').replaceAll('aa/evil.txt', '../evil.txt'), 'latin1');
    await refused('traversal.zip', patched, /refused entry '\.\.\/evil\.txt': path traversal/);
    const abs = await zip([{ name: 'xetc/passwd', content: 'x' }]);
    await refused('absolute.zip', Buffer.from(abs.toString('latin1').replaceAll('xetc/passwd', '/etc/passwd'), 'latin1'), /absolute path/);
    await refused('symlink.zip', await zip([{ name: 'L-1/passwd', content: '/etc/passwd', mode: 0o120777 }]), /'L-1\/passwd': a symbolic link/);
  });
});
