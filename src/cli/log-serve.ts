/** The flags of `cpansec serve` for the release transparency log (checkpoints, witnesses, being a witness). */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { collect, quorumArg, signerKeyFile, verifierKeyArg, witnessEndpoint } from './log-common.js';

export interface LogServeFlags {
  logKey?: string;
  logWitness?: string[];
  logQuorum?: string;
  checkpointInterval: string;
  witnessKey?: string;
  witnessLog?: string[];
}

export function logServeOptions(cmd: Command): Command {
  return cmd
    .option('--log-key <skeyfile>', "the release log's signer key file: publish checkpoints of new entries (env CPANSEC_LOG_KEY_FILE)", process.env.CPANSEC_LOG_KEY_FILE)
    .option('--log-witness <vkey=url>', "a witness that must cosign the log's checkpoints; repeat for more", collect)
    .option('--log-quorum <n>', 'cosignatures a checkpoint needs (default: every --log-witness)')
    .option('--checkpoint-interval <seconds>', 'how often to publish a checkpoint when the log grew (0: never by timer)', '10')
    .option('--witness-key <skeyfile>', 'also be a witness (POST /add-checkpoint) with this cosigner key')
    .option('--witness-log <vkey>', 'a log this server witnesses; repeat for more', collect);
}

export async function logServeSettings(flags: LogServeFlags): Promise<import('../server/index.js').ProvenanceSettings> {
  const interval = Number(flags.checkpointInterval);
  if (!Number.isFinite(interval) || interval < 0) throw new CpansecError('USAGE', `--checkpoint-interval takes a number of seconds (0: off): ${flags.checkpointInterval}`);
  const witnesses = (flags.logWitness ?? []).map(witnessEndpoint);
  const quorum = quorumArg(flags.logQuorum, witnesses.length);
  const { COSIGNATURE_V1 } = await import('../provenance/index.js');
  const witnessKey = flags.witnessKey ? signerKeyFile(flags.witnessKey, '--witness-key') : undefined;
  if (witnessKey && witnessKey.type !== COSIGNATURE_V1) throw new CpansecError('USAGE', '--witness-key must be a cosignature key (cpansec note keygen NAME --witness)');
  if (witnessKey && !flags.witnessLog?.length) throw new CpansecError('USAGE', '--witness-key needs at least one --witness-log');
  return {
    ...(flags.logKey ? { logKey: signerKeyFile(flags.logKey, '--log-key') } : {}),
    witnesses,
    ...(quorum !== undefined ? { quorum } : {}),
    checkpointIntervalMs: interval * 1000,
    ...(witnessKey ? { witnessKey, witnessLogs: (flags.witnessLog ?? []).map((v) => verifierKeyArg(v, '--witness-log')) } : {}),
  };
}
