/**
 * `cpansec audit` alone, for the one-file bundle that bin/cpansec.js runs with V8's code cache
 * (scripts/build-cli.js): an audit is over in a few hundred milliseconds, and compiling the code
 * it runs was a sixth of them.
 */
import { runCli } from './program.js';

export { stdioFlushed } from './stdio.js';

export function main(argv: string[]): Promise<number> {
  // bin/audit-bundle.js set the V8 flags before compiling this bundle
  return runCli(argv, { audit: () => import('./audit.js') }, { v8FlagsSet: true });
}
