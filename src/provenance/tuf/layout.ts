/**
 * CPAN's layout as TUF target paths: a release is `authors/id/E/ET/ETHER/Foo-Bar-1.23.tar.gz`
 * (PAUSE's own layout, which mirrors copy), so the PAUSE id in the path names the delegated role
 * that signs it.
 */
import { CpansecError } from '../../errors.js';

const AUTHOR_PATH = /^authors\/id\/([A-Z])\/\1([A-Z0-9-])\/(\1\2[A-Z0-9-]*)\/((?:[^/\0]+\/)*[^/\0]+)$/;

/** The PAUSE author of a target path, or a USAGE error saying what a path must look like. */
export function authorOfTarget(path: string): string {
  const m = AUTHOR_PATH.exec(path);
  if (!m || path.split('/').some((s) => s === '.' || s === '..' || s === '')) {
    throw new CpansecError('USAGE', `target path '${path.slice(0, 200)}' is not authors/id/X/XY/PAUSEID/FILE`);
  }
  return m[3]!;
}

export function authorDirectory(author: string): string {
  return `authors/id/${author[0]}/${author.slice(0, 2)}/${author}`;
}

/** The target path of a release file by an author. */
export function targetPath(author: string, file: string): string {
  return `${authorDirectory(author.toUpperCase())}/${file}`;
}
