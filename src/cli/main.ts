/** The `cpansec` command: parse arguments, run one subcommand, turn errors into one line and exit 2. */
import { Command, CommanderError } from 'commander';
import { isCpansecError } from '../errors.js';
import * as advisory from './advisory.js';
import * as audit from './audit.js';
import * as cve from './cve.js';
import * as exportCommand from './export.js';
import * as sbom from './sbom.js';
import * as db from './db.js';
import * as serve from './serve.js';
import { PACKAGE_VERSION } from './context.js';

/** Subcommand modules; each adds its commands to the program. */
const COMMANDS: { register(program: Command, run: Run): void }[] = [audit, advisory, sbom, serve, db, exportCommand, cve];

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
  for (const c of COMMANDS) c.register(program, run);
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
      process.stderr.write(`cpansec: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`cpansec: internal error: ${err.message}\n`);
    if (process.env.CPANSEC_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
}
