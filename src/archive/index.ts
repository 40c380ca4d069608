/**
 * Safe reading of CPAN distribution archives (.tar.gz, .tgz, .tar, .zip): in memory, never following
 * links, never writing anywhere, with limits on entries, unpacked size and compression ratio. A leaf
 * part (it depends only on errors.ts): the SBOM and provenance parts both read tarballs through it.
 */
export type { Archive, ArchiveEntry, ArchiveFormat, ReadOptions as ArchiveReadOptions } from './archive.js';
export { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
export { readArchive, readArchiveBuffer, readArchiveBytes } from './read.js';
export { unsafePathReason, normalizeEntryPath } from './entry-path.js';
export { distributionRoot } from './root.js';
