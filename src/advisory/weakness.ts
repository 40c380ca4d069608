/**
 * Identifier rules shared by the linter and the exporters, so that an export never publishes what
 * `advisory lint` calls invalid: CVE ids (CVE-YYYY-NNNN…, from 1999 on, not the CVE-0000-0000
 * placeholder), GHSA ids, and CWE ids (`CWE-<n>`, the form CVE `problemTypes[].cweId` and OSV
 * `database_specific.cwe_ids` use).
 */

const CVE = /^CVE-(\d{4})-(\d{4,19})$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const CWE = /^CWE-[1-9]\d{0,5}$/;

/** A CVE id the CVE program could have assigned: its year 1999 or later, its number not zero. */
export function isCveId(id: string): boolean {
  const m = CVE.exec(id);
  return !!m && Number(m[1]) >= 1999 && Number(m[2]) > 0;
}

export function isGhsaId(id: string): boolean {
  return GHSA.test(id);
}

export function isCweId(id: string): boolean {
  return CWE.test(id);
}

/** `CWE-79`, `cwe-79` and `79` as `CWE-79`; undefined for anything else. */
export function normalizeCweId(text: unknown): string | undefined {
  if (typeof text === 'number' && Number.isInteger(text)) text = String(text);
  if (typeof text !== 'string') return undefined;
  const m = /^(?:CWE-)?([1-9]\d{0,5})$/i.exec(text.trim());
  return m ? `CWE-${m[1]}` : undefined;
}
