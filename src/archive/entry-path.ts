/**
 * The one rule every entry name must pass before anything else looks at it: a relative path that
 * stays inside the archive. Checked by hand on every entry (on top of the libraries' own checks) so
 * that the rule is one place, the same for tar and zip, and its error names the entry.
 */

/** Why an entry name is unsafe, or undefined when it is a plain relative path. */
export function unsafePathReason(name: string): string | undefined {
  if (name.length === 0) return 'empty entry name';
  if (name.includes('\0')) return 'NUL byte in entry name';
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(unified)) return 'absolute path (drive letter)';
  if (unified.split('/').some((segment) => segment === '..')) return "path traversal ('..')";
  return undefined;
}

/** The normalised form an entry is stored under: forward slashes, no './' segments, no trailing slash. */
export function normalizeEntryPath(name: string): string {
  return name
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}
