/** `cpansec keygen --output KEY`: a new Ed25519 signing key (KEY, mode 0600) and its public half (KEY.pub). */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import type { Run } from './main.js';
import { checkWritable, isSpecialFile } from './output.js';

/** Write through a temporary file created 0600 (a private key is never readable by others, even briefly). */
function writeSecret(file: string, data: string, mode: number, force: boolean): void {
  checkWritable(file, 'file');
  if (isSpecialFile(file)) throw new CpansecError('IO_ERROR', 'not a regular file: give a file name for the key', { file });
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    if (!force) {
      // link-free "rename unless it exists": refuse to replace a key someone may still need
      try {
        writeFileSync(file, '', { flag: 'wx', mode });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CpansecError('IO_ERROR', 'exists already (give --force to replace it)', { file });
        throw e;
      }
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

export function register(program: Command, run: Run): void {
  program
    .command('keygen')
    .description('make an Ed25519 signing key for `cpansec sign` (KEY private, KEY.pub public); prints the public key')
    .requiredOption('-o, --output <file>', 'where to write the private key (the public key goes to FILE.pub)')
    .option('--force', 'replace existing key files')
    .action(async (flags: { output: string; force?: boolean }) => {
      await run(async () => {
        const { generateSigningKey, readSigningKey, publicKeyLine } = await import('../provenance/attestation/index.js');
        const key = generateSigningKey();
        const force = flags.force === true;
        if (!force) {
          for (const f of [flags.output, `${flags.output}.pub`]) {
            try {
              writeFileSync(f, '', { flag: 'wx' });
              rmSync(f);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CpansecError('IO_ERROR', 'exists already (give --force to replace it)', { file: f });
              throw new CpansecError('IO_ERROR', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: f });
            }
          }
        }
        writeSecret(flags.output, key.privatePem, 0o600, force);
        writeSecret(`${flags.output}.pub`, key.publicPem, 0o644, force);
        process.stdout.write(`${publicKeyLine(readSigningKey(key.privatePem, flags.output).publicKey)}\n`);
        process.stderr.write(`wrote ${flags.output} (private, keep it secret) and ${flags.output}.pub; key id ${key.keyId}\n`);
        return 0;
      });
    });
}
