/** Inputs for the SBOM tests, built at test time: distribution tarballs from the fixture META files, projects. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { projectPath } from '../helpers/paths.js';

export const META_DIR = projectPath('test', 'fixtures', 'sbom', 'meta');
export const SNAPSHOT = projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
export const CPANFILE = projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile');

/** Real releases whose META files are in the fixtures: [distribution, version, META file, CPAN author]. */
export const RELEASES: [string, string, string, string][] = [
  ['Mojolicious', '5.71', 'Mojolicious-5.71.META.json', 'SRI'],
  ['Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA'],
  ['Moose', '2.1403', 'Moose-2.1403.META.json', 'ETHER'],
  ['DBI', '1.632', 'DBI-1.632.META.yml', 'TIMB'],
  ['Devel-REPL', '1.003026', 'Devel-REPL-1.003026.META.json', 'ETHER'],
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

/** A distribution as cpanm installs it: its module files, and its record in <archname>/.meta/. */
interface Installed {
  dist: string;
  pathname: string;
  /** install.json `name`: the main module, which need not match the distribution's name */
  main: string;
  /** module -> [file in the release, version] */
  provides: Record<string, [string, string | undefined]>;
  meta: string;
}

const INSTALLED: Installed[] = [
  {
    dist: 'Plack-1.0050',
    pathname: 'M/MI/MIYAGAWA/Plack-1.0050.tar.gz',
    main: 'Plack',
    provides: {
      Plack: ['lib/Plack.pm', '1.0050'],
      'Plack::Request': ['lib/Plack/Request.pm', '1.0050'],
      'Plack::Util': ['lib/Plack/Util.pm', undefined],
      'Plack::Middleware': ['lib/Plack/Middleware.pm', undefined],
      'HTTP::Message::PSGI': ['lib/HTTP/Message/PSGI.pm', undefined],
    },
    meta: 'Plack-1.0050.META.json',
  },
  { dist: 'Try-Tiny-0.22', pathname: 'D/DO/DOY/Try-Tiny-0.22.tar.gz', main: 'Try::Tiny', provides: { 'Try::Tiny': ['lib/Try/Tiny.pm', '0.22'] }, meta: 'Try-Tiny-0.22.META.json' },
  {
    dist: 'URI-1.65',
    pathname: 'E/ET/ETHER/URI-1.65.tar.gz',
    main: 'URI',
    provides: { URI: ['URI.pm', '1.65'], 'URI::Escape': ['URI/Escape.pm', '3.31'], 'URI::http': ['URI/http.pm', undefined], 'URI::_server': ['URI/_server.pm', undefined] },
    meta: 'URI-1.65.META.json',
  },
  {
    dist: 'libwww-perl-6.08',
    pathname: 'M/MS/MSCHILLI/libwww-perl-6.08.tar.gz',
    main: 'LWP',
    provides: { LWP: ['lib/LWP.pm', '6.08'], 'LWP::UserAgent': ['lib/LWP/UserAgent.pm', '6.06'], 'LWP::Simple': ['lib/LWP/Simple.pm', '6.00'], 'LWP::Protocol': ['lib/LWP/Protocol.pm', '6.06'] },
    meta: 'libwww-perl-6.08.META.json',
  },
];

/** The record cpanm's save_meta writes: install.json (JSON::PP encode_json) and the build's MYMETA.json. */
function writeRecord(lib: string, d: Installed): void {
  const record = path.join(lib, 'x86_64-linux', '.meta', d.dist);
  mkdirSync(record, { recursive: true });
  const provides = Object.fromEntries(Object.entries(d.provides).map(([m, [file, version]]) => [m, { file, ...(version ? { version } : {}) }]));
  const version = d.provides[d.main]?.[1] ?? d.dist.replace(/^.*-/, '');
  writeFileSync(path.join(record, 'install.json'), JSON.stringify({ name: d.main, target: d.main, version, dist: d.dist, pathname: d.pathname, provides }));
  const meta = JSON.parse(readFileSync(path.join(META_DIR, d.meta), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(record, 'MYMETA.json'), `${JSON.stringify({ ...meta, dynamic_config: 0 }, null, 3)}\n`);
  for (const [module, [, v]] of Object.entries(d.provides)) {
    const file = path.join(lib, ...module.split('::')) + '.pm';
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `package ${module};\n${v ? `our $VERSION = '${v}';\n` : ''}1;\n`);
  }
}

/**
 * A project with the installed tree cpanm leaves in local/ (`cpanm -L local`): Plack, Try-Tiny, URI
 * and libwww-perl with their install records, and two modules without one (copied in by hand).
 * With `cpanfile`, the project's own requirements beside it.
 */
export function installedProject(dir: string, options: { name?: string; cpanfile?: string } = {}): string {
  const p = path.join(dir, options.name ?? 'installed-app');
  const lib = path.join(p, 'local', 'lib', 'perl5');
  for (const d of INSTALLED) writeRecord(lib, d);
  mkdirSync(path.join(lib, 'Mojo'), { recursive: true });
  writeFileSync(path.join(lib, 'Mojolicious.pm'), "package Mojolicious;\nour $VERSION = '9.30';\n1;\n");
  writeFileSync(path.join(lib, 'Mojo', 'Base.pm'), 'package Mojo::Base;\n1;\n');
  if (options.cpanfile !== undefined) writeFileSync(path.join(p, 'cpanfile'), options.cpanfile);
  return p;
}
