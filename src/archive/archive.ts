/** What reading an archive gives: its entries, and the contents of the files the caller asked for. */

export type ArchiveFormat = 'tar' | 'tar.gz' | 'zip';

export interface ArchiveEntry {
  /** normalised relative path (forward slashes, no trailing slash) */
  path: string;
  type: 'file' | 'directory';
  size: number;
  /** permission bits as stored, when the format stores them */
  mode?: number;
  mtime?: Date;
}

export interface Archive {
  /** the name used in messages: the file path, or the name given with a buffer */
  file: string;
  format: ArchiveFormat;
  /** every entry, in archive order */
  entries: ArchiveEntry[];
  /** the contents of the kept files, by normalised path */
  contents: Map<string, Buffer>;
  /** unpacked size of all files */
  totalBytes: number;
}

export interface ReadOptions {
  /** which files' contents to keep in memory (default: all) */
  keep?: (path: string) => boolean;
  limits?: Partial<import('./limits.js').ArchiveLimits>;
}
