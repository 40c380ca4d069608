/**
 * CPAN::DistnameInfo's rules: from a CPAN path (A/AU/AUTHOR/Foo-Bar-1.23.tar.gz) the author, the
 * distribution name, its version and maturity. Ported by hand (no npm package has these rules);
 * a differential test checks it against the real CPAN::DistnameInfo.
 */

export interface DistInfo {
  pathname: string;
  filename: string;
  cpanid?: string;
  /** name-version without the extension */
  distvname?: string;
  extension?: string;
  dist: string;
  version?: string;
  maturity: 'released' | 'developer';
}

const NAME = /^((?:[-+.]*(?:[A-Za-z0-9]+|(?<=\D)_|_(?=\D))*(?:[A-Za-z](?=[^A-Za-z]|$)|\d(?=-))(?<![._-][vV]))+)(.*)$/s;

/** CPAN::DistnameInfo::distname_info: name-version -> [dist, version, developer?] */
export function distnameInfo(file: string): [string, string | undefined, boolean] {
  // `my $file = shift or return`: perl's false strings give no dist at all ('' here)
  if (file === '' || file === '0') return ['', undefined, false];
  const m = NAME.exec(file);
  if (!m) return [file, undefined, false];
  let dist = m[1]!;
  let version = m[2]!;
  if (/-undef$/.test(dist) && !version.length) dist = dist.replace(/-undef$/, '');
  version = version.replace(/-withoutworldwriteables$/, '');
  let mm = /^(-[Vv].*)-(\d.*)/s.exec(version);
  if (mm) {
    dist += mm[1];
    version = mm[2]!;
  }
  mm = /(.+_.*)-(\d.*)/s.exec(version);
  if (mm) {
    dist += mm[1];
    version = mm[2]!;
  }
  dist = dist.replace(/\.pm$/, '');
  if (!version.length) {
    const t = /-(\d+\w)$/.exec(dist);
    if (t) {
      version = t[1]!;
      dist = dist.slice(0, t.index);
    }
  }
  if (/^\d+$/.test(version)) {
    const t = /-(\w+)$/.exec(dist);
    if (t) {
      version = t[1]! + version;
      dist = dist.slice(0, t.index);
    }
  }
  version = /\d\.\d/.test(version) ? version.replace(/^[-_.]+/, '') : version.replace(/^[-_]+/, '');
  let dev = false;
  if (version.length) {
    const p = /^perl-?\d+\.(\d+)(?:\D(\d+))?(-(?:TRIAL|RC)\d+)?$/.exec(file);
    if (p) {
      // perl's `$1 & 1` works on the exact integer below 2**64 and on UV_MAX (odd) above it
      const minor = BigInt(p[1]!);
      dev = (minor > 6n && (minor >= 2n ** 64n || (minor & 1n) === 1n)) || (p[2] !== undefined && Number(p[2]) >= 50) || p[3] !== undefined;
    } else if (/\d\D\d+_\d/.test(version) || /-TRIAL/.test(version)) {
      dev = true;
    }
    return [dist, version, dev];
  }
  return [dist, undefined, false];
}

const AUTHOR_PREFIX = /^(((.*?\/)?authors\/)?id\/)?([A-Z])\/(\4[A-Z])\/(\5[-A-Z0-9]*)\//;

/** CPAN::DistnameInfo->new(PATH) */
export function parseDistPath(path: string): DistInfo {
  const pathname = path.includes('//') ? path.replace(/\/\/+/g, '/') : path;
  // anchored: the one match is a prefix (a lock reads hundreds of paths: exec, not a replace callback)
  const author = AUTHOR_PREFIX.exec(pathname);
  const cpanid = author?.[6];
  const filename = author ? pathname.slice(author[0].length) : pathname;
  const ext = /([^/]+)\.(tar\.(?:g?z|bz2)|zip|tgz)$/i.exec(pathname);
  const info: DistInfo = { pathname, filename, dist: '', maturity: 'released', ...(cpanid ? { cpanid } : {}) };
  if (ext) {
    info.distvname = ext[1];
    info.extension = ext[2];
  }
  if (info.distvname !== undefined) {
    const [dist, version, dev] = distnameInfo(info.distvname);
    info.dist = dist;
    if (version !== undefined) info.version = version;
    if (dev) info.maturity = 'developer';
  }
  return info;
}
