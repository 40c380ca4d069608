/**
 * `cpansec witness`: be a C2SP tlog-witness for the given logs — check each checkpoint's log
 * signature and its consistency with the last one cosigned (kept in the store), then cosign.
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';
import { collect, signerKeyFile, verifierKeyArg } from './log-common.js';
import type { Run } from './main.js';

export function register(program: Command, run: Run): void {
  storeOptions(
    program
      .command('witness')
      .description('run a witness (C2SP tlog-witness, POST /add-checkpoint): cosign checkpoints of the given logs that are consistent with the last one cosigned')
      .requiredOption('--key <skeyfile>', "file holding the witness's cosigner key (cpansec note keygen NAME --witness)")
      .requiredOption('--log <vkey>', "a log's verifier key (its origin is the key's name); repeat for more", collect)
      .option('--host <address>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on (0: any free port)', '8081')
      .option('--log-level <level>', 'log level', 'info'),
  ).action(async (flags: StoreFlags & { key: string; log: string[]; host: string; port: string; logLevel: string }) => {
    await run(async () => {
      const { COSIGNATURE_V1 } = await import('../provenance/index.js');
      const key = signerKeyFile(flags.key, '--key');
      if (key.type !== COSIGNATURE_V1) throw new CpansecError('USAGE', '--key: a witness signs with a cosignature key (type 0x04): make one with `cpansec note keygen NAME --witness`');
      const logs = flags.log.map((l) => verifierKeyArg(l, '--log'));
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CpansecError('USAGE', `--port takes 0 to 65535: ${flags.port}`);
      const { startWitness } = await import('../server/index.js');
      const w = await startWitness({ key, logs, host: flags.host, port, ...storeLocation(flags), logLevel: flags.logLevel });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await w.close();
      return 0;
    });
  });
}
