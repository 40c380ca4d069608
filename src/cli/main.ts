/** The `cpansec` command: every subcommand, each module loaded only when its command runs. */
import { runCli, type Commands } from './program.js';

export { EXIT_PIPE_CLOSED, type Run } from './program.js';

/**
 * Loading them all would load every part's libraries (ajv, the CycloneDX library, fastify …) on
 * every start, which costs `cpansec audit` more than its whole audit.
 */
const COMMANDS: Commands = {
  audit: () => import('./audit.js'),
  advisory: () => import('./advisory.js'),
  sbom: () => import('./sbom.js'),
  serve: () => import('./serve.js'),
  db: () => import('./db.js'),
  export: () => import('./export.js'),
  cve: () => import('./cve.js'),
  admin: () => import('./admin.js'),
  log: () => import('./log.js'),
  note: () => import('./note.js'),
  witness: () => import('./witness.js'),
  verify: () => import('./verify.js'),
  keygen: () => import('./keygen.js'),
  sign: () => import('./sign.js'),
  sigstore: () => import('./sigstore.js'),
  keys: () => import('./keys.js'),
  tuf: () => import('./tuf.js'),
  fetch: () => import('./fetch.js'),
  stats: () => import('./stats.js'),
};

export function main(argv: string[]): Promise<number> {
  return runCli(argv, COMMANDS);
}
