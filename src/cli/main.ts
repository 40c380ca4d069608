/** The `cpansec` command: parse arguments, run one subcommand, turn errors into one line and exit 2. */
import { Command, CommanderError } from 'commander';
import { printable } from '../advisory/index.js';
import { isCpansecError } from '../errors.js';
import { PACKAGE_VERSION } from './context.js';

type CommandModule = { register(program: Command, run: Run): void };

/**
 * Top-level command -> the module that registers it. Only the module of the command being run is
 * loaded: loading them all would load every part's libraries (ajv, the CycloneDX library, fastify …)
 * on every start, which costs `cpansec audit` more than its whole audit.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
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
};

export type Run = (fn: () => Promise<number>) => Promise<void>;

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('cpansec')
    .description('CPAN security: advisory index, audit, publication, SBOMs, disclosure')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const run: Run = async (fn) => {
    exitCode = await fn();
  };
  const first = argv.find((a) => !a.startsWith('-'));
  const names = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!()).register(program, run);
  program.commands.forEach(function exit(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(exit);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; usage errors were already printed by commander
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (isCpansecError(e)) {
      process.stderr.write(`cpansec: ${printable(e.message)}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`cpansec: internal error: ${printable(err.message)}\n`);
    if (process.env.CPANSEC_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
}
