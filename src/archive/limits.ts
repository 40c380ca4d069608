/**
 * Limits on what reading one archive may cost. A CPAN distribution is small (the largest are a few
 * thousand files and tens of megabytes unpacked); anything far beyond that is refused, not read.
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
}

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 50_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 4 * 1024 * 1024,
};

/** The most bytes an archive of `archiveBytes` may unpack to. */
export function unpackedBudget(archiveBytes: number, limits: ArchiveLimits): number {
  return Math.min(limits.maxTotalBytes, Math.max(limits.ratioFloorBytes, archiveBytes * limits.maxRatio));
}
