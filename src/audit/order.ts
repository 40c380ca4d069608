/**
 * The order of names in reports: case-insensitive, then by code unit. Not `localeCompare`: its first
 * call builds an ICU collator, some 70 M instructions (a tenth of a whole `cpansec audit`), to
 * order ASCII names that this orders the same way up to punctuation.
 */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
