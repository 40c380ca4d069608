/**
 * Perl's value of a numeric literal as a string: `1.10` is the number 1.1 (Perl prints "1.1"),
 * `1_000` is 1000, `0.010` is 0.01. v-strings and multi-dot literals stay as written.
 */
export function perlNumberLiteral(text: string): string {
  if (text.startsWith('v') || (text.match(/\./g) ?? []).length > 1) return text.replace(/_/g, '');
  const n = Number(text.replace(/_/g, ''));
  // Perl prints numbers with %.15g
  return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : text;
}
