import { seeded } from './oracle.js';

/** Edge cases first, then generated decimal, dotted, alpha and malformed version strings. */
export const EDGE_VERSIONS = [
  '0', '0.0', '0.00', '0.000', '0.0.0', 'v0', 'v0.0.0', '1', '1.', '.5', '1.0', '1.00', '1.000', '1.0000',
  '1.1', '1.10', '1.100', '1.1000', '1.9', '1.09', '1.009', '1.0009', '1.2.3', 'v1.2.3', 'v1.2', 'v1', 'v5',
  '1.02_03', '1.2.3_4', 'v1.2_3', '1.23_45', '01.02', '1.02.03', 'v1.02.003', '5.044000', '5.44', 'v5.44.0',
  '5.008_001', '5.8.1', '0.000042', '1.2.3.4.5', '1.0.0_1', '999999999999', '1.9999999999', '2147483647',
  '2147483648', 'undef', ' 1.2', '1.2 ', '1.2;', '1.2{', '1.2}', '00', '007', '1.23456789012',
  // malformed: version.pm rejects these
  '', ' ', '-1', '1_2', '1.2.', '1..2', 'v', 'vv1', '1.2abc', 'abc', '1.2e3', '0x12', '1,2', '1.2,3',
  '3.14_15_92', '1.2_3.4', 'v1.2_3_4', '1._2', '1.2_', '1.2__3', '+1', '1.2-3', 'v1.2.3-TRIAL', '1.2.3a',
];

export function generateVersions(count: number, seed = 5036): string[] {
  const rnd = seeded(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  const part = () => (rnd() < 0.1 ? digits(1 + int(3)) : String(int(rnd() < 0.7 ? 20 : 1000)));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rnd();
    let v: string;
    if (kind < 0.45) {
      // decimal
      v = `${rnd() < 0.1 ? '0' : ''}${int(rnd() < 0.8 ? 10 : 1000)}`;
      if (rnd() < 0.9) {
        let frac = digits(1 + int(rnd() < 0.8 ? 4 : 9));
        if (rnd() < 0.15) {
          const at = 1 + int(frac.length);
          frac = `${frac.slice(0, at)}_${at < frac.length ? frac.slice(at) : digits(1 + int(3))}`;
        }
        if (rnd() < 0.2) frac += '0'.repeat(1 + int(3));
        v += `.${frac}`;
      }
    } else if (kind < 0.9) {
      // dotted
      const n = 2 + int(3);
      const parts = Array.from({ length: n }, part);
      v = parts.join('.');
      if (rnd() < 0.12) v += `_${digits(1 + int(2))}`;
      if (n === 2 || rnd() < 0.5) v = `v${v}`;
    } else {
      // near-misses and garbage
      const pool = ['1.2.', '.', 'v', '_1', '1__2', 'a1', '1.2a', '1.2-3', '1..2', '-3', ' ', '1.2_3_4', '1_0'];
      v = pool[int(pool.length)]! + (rnd() < 0.5 ? String(int(10)) : '');
    }
    out.push(v);
  }
  return out;
}
