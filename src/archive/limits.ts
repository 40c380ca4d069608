/**
 * Limits on what reading one archive may cost. A CPAN distribution is small (the largest are a few
 * thousand files and tens of megabytes unpacked); anything far beyond that is refused, not read.
 * Every limit is checked from what an entry's header declares, before its content is unpacked, and
 * again on the bytes that actually come out.
 */
export interface ArchiveLimits {
  /** size of the archive file itself */
  maxArchiveBytes: number;
  /** number of entries of any type */
  maxEntries: number;
  /** sum of the unpacked sizes of all files (and, for a compressed tar, of the tar stream) */
  maxTotalBytes: number;
  /** unpacked size / archive size, once the unpacked size is above `ratioFloorBytes` */
  maxRatio: number;
  /** below this unpacked size the ratio is not checked: a tiny archive of zero padding compresses 200:1 */
  ratioFloorBytes: number;
  /** size of one file whose content the caller keeps in memory */
  maxKeptFileBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 50_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 4 * 1024 * 1024,
  maxKeptFileBytes: 64 * 1024 * 1024,
};

/** The most bytes an archive of `archiveBytes` may unpack to. */
export function unpackedBudget(archiveBytes: number, limits: ArchiveLimits): number {
  return Math.min(limits.maxTotalBytes, Math.max(limits.ratioFloorBytes, archiveBytes * limits.maxRatio));
}
