/**
 * The entry of the workspace's one script (/workspace/static/cvss-calculator.js), bundled by
 * scripts/build-calculator.ts into an IIFE whose exports are the global `cpansecCvss`: the tests
 * run the very bundle the server serves, without a page, and compare its arithmetic with the
 * server's. On a page it makes the CVSS calculators live.
 */
import { startCalculators } from './calculator-page.js';

export { calculate, readVector, withVector, ratingOf, metricOrder } from './cvss-calculator.js';

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => startCalculators(document));
  else startCalculators(document);
}
