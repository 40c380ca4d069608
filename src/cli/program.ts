/** The command-line program: parse arguments, run one subcommand, turn errors into one line and exit 2. */
import { Command, CommanderError } from 'commander';
import { printable } from '../advisory/control/index.js';
import { isCpansecError } from '../errors.js';
import { PACKAGE_VERSION } from './context.js';
import { guardStdio } from './stdio.js';

export { EXIT_PIPE_CLOSED } from './stdio.js';

export type CommandModule = { register(program: Command, run: Run): void };

/** Top-level command -> the module that registers it, loaded only when that command runs. */
export type Commands = Record<string, () => Promise<CommandModule>>;

export type Run = (fn: () => Promise<number>) => Promise<void>;

/**
 * V8's flags for a one-shot audit (bin/audit-bundle.js sets the same before its bundle is compiled).
 * It is over in a fraction of a second: the optimising compiler would spend more CPU compiling hot
 * functions than the run has left (measured: a third of the CPU of an audit of a 369-distribution
 * lock), and young-generation collections on helper threads cost more in waking them than they save
 * (measured: 5% of the CPU, 70 context switches a run). Batches and servers gain from both.
 * (`--single-threaded-gc` would also stop concurrent marking, but set at run time it crashes V8.)
 */
export const AUDIT_V8_FLAGS = '--no-opt --no-parallel-scavenge';

/**
 * Run the command line. `v8FlagsSet`: the caller set AUDIT_V8_FLAGS already (bin/audit-bundle.js
 * does, before compiling the audit bundle, and without node:v8, which loads the stream library).
 */
export async function runCli(argv: string[], commands: Commands, options: { v8FlagsSet?: boolean } = {}): Promise<number> {
  // a reader that stops early (`cpansec … | head`) ends the command quietly with 141
  guardStdio();
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
  if (first === 'audit' && !argv.includes('--batch') && !options.v8FlagsSet) (await import('node:v8')).default.setFlagsFromString(AUDIT_V8_FLAGS);
  // `--version` alone needs no command; anything else without a known command lists them all
  const versionOnly = first === undefined && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const names = first !== undefined && Object.hasOwn(commands, first) ? [first] : versionOnly ? [] : Object.keys(commands);
  for (const name of names) (await commands[name]!()).register(program, run);
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
