/** Inputs for the SBOM tests, built at test time: distribution tarballs from the fixture META files, projects. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { projectPath } from '../helpers/shared.js';

export const META_DIR = projectPath('test', 'fixtures', 'sbom', 'meta');
export const SNAPSHOT = projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
export const CPANFILE = projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile');

/** The four real releases: [distribution, version, META file, CPAN author]. */
export const RELEASES: [string, string, string, string][] = [
  ['Mojolicious', '9.35', 'Mojolicious-9.35.META.json', 'SRI'],
  ['Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA'],
  ['Moose', '2.2207', 'Moose-2.2207.META.json', 'ETHER'],
  ['DBI', '1.643', 'DBI-1.643.META.yml', 'TIMB'],
];

export function workDir(prefix = 'cpansec-sbom-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Unpack a release's files into `dir/Name-Version/` (META, a module, a README). */
export function unpacked(dir: string, name: string, version: string, metaFile: string): string {
  const root = path.join(dir, `${name}-${version}`);
  mkdirSync(path.join(root, 'lib'), { recursive: true });
  copyFileSync(path.join(META_DIR, metaFile), path.join(root, metaFile.endsWith('.yml') ? 'META.yml' : 'META.json'));
  writeFileSync(path.join(root, 'lib', `${name.split('-')[0]}.pm`), `package ${name.replace(/-/g, '::')};\nour $VERSION = '${version}';\n1;\n`);
  writeFileSync(path.join(root, 'README'), `${name} ${version}\n`);
  return root;
}

/** A CPAN-style tarball made with tar(1), at authors/id/A/AU/AUTHOR/Name-Version.tar.gz under `dir`. */
export function tarball(dir: string, name: string, version: string, metaFile: string, author?: string): string {
  const src = mkdtempSync(path.join(dir, 'src-'));
  unpacked(src, name, version, metaFile);
  const out = author ? path.join(dir, 'authors', 'id', author[0]!, author.slice(0, 2), author) : dir;
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${name}-${version}.tar.gz`);
  execFileSync('tar', ['czf', file, '-C', src, `${name}-${version}`]);
  return file;
}

/** The same release as a .zip (made with yazl). */
export function zipball(dir: string, name: string, version: string, metaFile: string): Promise<string> {
  const file = path.join(dir, `${name}-${version}.zip`);
  const z = new yazl.ZipFile();
  z.addFile(path.join(META_DIR, metaFile), `${name}-${version}/${metaFile.endsWith('.yml') ? 'META.yml' : 'META.json'}`);
  z.addBuffer(Buffer.from(`package ${name};\n1;\n`), `${name}-${version}/lib/${name}.pm`);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => {
      writeFileSync(file, Buffer.concat(chunks));
      resolve(file);
    });
    z.end();
  });
}

/** A project directory with the real metacpan-api cpanfile and snapshot. */
export function snapshotProject(dir: string): string {
  const p = path.join(dir, 'metacpan-api');
  mkdirSync(p, { recursive: true });
  copyFileSync(SNAPSHOT, path.join(p, 'cpanfile.snapshot'));
  copyFileSync(CPANFILE, path.join(p, 'cpanfile'));
  return p;
}

/** A project with only a cpanfile. */
export function cpanfileProject(dir: string): string {
  const p = path.join(dir, 'cpanfile-only');
  mkdirSync(p, { recursive: true });
  copyFileSync(CPANFILE, path.join(p, 'cpanfile'));
  return p;
}

/** An installed tree as cpanm leaves it: local/lib/perl5 with an install record and loose modules. */
export function installedProject(dir: string): string {
  const p = path.join(dir, 'installed-app');
  const lib = path.join(p, 'local', 'lib', 'perl5');
  const meta = path.join(lib, 'x86_64-linux', '.meta', 'Try-Tiny-0.31');
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    path.join(meta, 'install.json'),
    JSON.stringify({ name: 'Try::Tiny', dist: 'Try-Tiny-0.31', version: '0.31', pathname: 'E/ET/ETHER/Try-Tiny-0.31.tar.gz', provides: { 'Try::Tiny': { file: 'lib/Try/Tiny.pm', version: '0.31' } } }),
  );
  mkdirSync(path.join(lib, 'Try'), { recursive: true });
  writeFileSync(path.join(lib, 'Try', 'Tiny.pm'), "package Try::Tiny;\nour $VERSION = '0.31';\n1;\n");
  mkdirSync(path.join(lib, 'Mojo'), { recursive: true });
  writeFileSync(path.join(lib, 'Mojolicious.pm'), "package Mojolicious;\nour $VERSION = '9.30';\n1;\n");
  writeFileSync(path.join(lib, 'Mojo', 'Base.pm'), 'package Mojo::Base;\n1;\n');
  return p;
}
