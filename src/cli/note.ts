/**
 * `cpansec note sign|verify|keygen`: C2SP signed notes with keys in Go's text forms. `verify` exits
 * 0 when a signature by a given key verifies, 1 when none does (or one by a given key is bad),
 * 2 on malformed input; signatures by other keys are ignored, as the spec says.
 */
import { chmodSync, writeFileSync, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import { collect, signerKeyFile, verifierKeyArg } from './log-common.js';
import type { Run } from './main.js';

export function register(program: Command, run: Run): void {
  const note = program.command('note').description('C2SP signed notes: sign, verify, make keys');

  note
    .command('sign')
    .description('sign a note (a text ending in a newline, or a signed note to add a signature to) and print it')
    .argument('[file]', 'the note (default: standard input)', '-')
    .requiredOption('--key <skeyfile>', 'file holding the signer key PRIVATE+KEY+name+hash+key')
    .action(async (file: string, flags: { key: string }) => {
      await run(async () => {
        const { decodeNote, signNote } = await import('../provenance/index.js');
        const key = signerKeyFile(flags.key, '--key');
        const text = decodeNote(readInputBytes(file, 1024 * 1024));
        try {
          process.stdout.write(signNote(text, [key]));
        } catch (e) {
          throw new CpansecError('PARSE_ERROR', (e as Error).message, { file: file === '-' ? 'stdin' : file });
        }
        return 0;
      });
    });

  note
    .command('verify')
    .description('verify a signed note with one or more verifier keys; prints the text')
    .argument('[file]', 'the signed note (default: standard input)', '-')
    .requiredOption('--key <vkey>', 'a verifier key name+hash+key (or a file holding one); repeat for more', collect)
    .action(async (file: string, flags: { key: string[] }) => {
      await run(async () => {
        const { decodeNote, openNote, NoteError } = await import('../provenance/index.js');
        const keys = flags.key.map((k) => verifierKeyArg(k, '--key'));
        const where = file === '-' ? 'stdin' : file;
        const text = decodeNote(readInputBytes(file, 1024 * 1024));
        try {
          const n = openNote(text, keys);
          process.stdout.write(n.text);
          for (const s of n.verified) process.stderr.write(`verified: ${s.name}${s.timestamp !== undefined ? ` (cosigned at ${new Date(s.timestamp * 1000).toISOString()})` : ''}\n`);
          return 0;
        } catch (e) {
          if (e instanceof NoteError && e.reason !== 'malformed') {
            process.stderr.write(`cpansec: ${where}: ${e.message}\n`);
            return 1;
          }
          throw new CpansecError('PARSE_ERROR', (e as Error).message, { file: where });
        }
      });
    });

  note
    .command('keygen')
    .description('make a key pair: the signer key goes to a file (mode 0600), the verifier key is printed')
    .argument('<name>', 'the key name, e.g. log.example.org/cpan (no spaces or +)')
    .requiredOption('-o, --output <file>', 'where to write the signer key (never overwritten)')
    .option('--witness', 'a witness cosigner key (type 0x04, C2SP tlog-cosignature) instead of a note/log key')
    .action(async (name: string, flags: { output: string; witness?: boolean }) => {
      await run(async () => {
        const { generateKey, signerKeyText, COSIGNATURE_V1, ED25519 } = await import('../provenance/index.js');
        if (existsSync(flags.output)) throw new CpansecError('USAGE', 'exists already: a key is never overwritten', { file: flags.output });
        const key = generateKey(name, flags.witness ? COSIGNATURE_V1 : ED25519);
        try {
          writeFileSync(flags.output, `${signerKeyText(key)}\n`, { mode: 0o600, flag: 'wx' });
          chmodSync(flags.output, 0o600);
        } catch (e) {
          throw new CpansecError('IO_ERROR', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: flags.output });
        }
        process.stdout.write(`${key.text}\n`);
        return 0;
      });
    });
}
