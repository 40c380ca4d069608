/** The single top-level directory a CPAN distribution archive unpacks into (Foo-Bar-1.23/), if any. */
import type { Archive } from './archive.js';

export function distributionRoot(archive: Archive): string | undefined {
  const tops = new Set(archive.entries.map((e) => e.path.split('/')[0]!).filter((s) => s !== ''));
  if (tops.size !== 1) return undefined;
  const [top] = tops;
  // a lone file at the top (a tarball of one file) is not a directory
  return archive.entries.some((e) => e.path.startsWith(`${top}/`) || (e.path === top && e.type === 'directory')) ? top : undefined;
}
