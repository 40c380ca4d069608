/**
 * The workspace's one page script, the CVSS calculator (data/workspace/cvss-calculator.js, made by
 * scripts/build-calculator.ts): read once, with its SHA-384 for the page's Subresource Integrity
 * and a content hash in its address, so that a browser never runs an old copy from its cache
 * against a new page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '../../paths.js';

export interface PageScript {
  body: Buffer;
  /** the address pages load it from */
  src: string;
  /** `sha384-…` */
  integrity: string;
}

export const CALCULATOR_SCRIPT_FILE = path.join(DATA_DIR, 'workspace', 'cvss-calculator.js');

let loaded: PageScript | null | undefined;

/** The script, or undefined when the installation has none (the calculator then works through the server alone). */
export function calculatorScript(): PageScript | undefined {
  if (loaded === undefined) {
    try {
      const body = readFileSync(CALCULATOR_SCRIPT_FILE);
      const version = createHash('sha256').update(body).digest('hex').slice(0, 16);
      loaded = { body, src: `/workspace/static/cvss-calculator.js?v=${version}`, integrity: `sha384-${createHash('sha384').update(body).digest('base64')}` };
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
