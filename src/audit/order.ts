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

/**
 * Sort by a list of names, each compared as compareNames does, with each name lower-cased once
 * rather than at every comparison (a lock's report sorts some 400 findings).
 */
export function sortByNames<T>(items: T[], names: (item: T) => string[]): T[] {
  const keyed = items.map((item) => {
    const n = names(item);
    return { item, n, lower: n.map((x) => x.toLowerCase()) };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < a.n.length; i++) {
      const x = a.lower[i]!;
      const y = b.lower[i]!;
      if (x !== y) return x < y ? -1 : 1;
      const p = a.n[i]!;
      const q = b.n[i]!;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}
