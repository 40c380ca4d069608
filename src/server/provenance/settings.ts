/**
 * What `cpansec serve` does for the release transparency log: it always serves the log's files
 * (/checkpoint, /tile/…, /lookup/…) and its write API (/log/add, uploader tokens); with the log's
 * signer key it also publishes checkpoints (cosigned by its witnesses); with a witness key it is a
 * witness too (POST /add-checkpoint).
 */
import type { SignerKey, VerifierKey, WitnessEndpoint } from '../../provenance/index.js';
import { publishCheckpoint, Sequencer, type LogStore, type WitnessStore } from '../../provenance/index.js';
import { SqlLogStore, SqlWitnessStore, UploaderTokens, type Store } from '../../store/index.js';

export interface ProvenanceSettings {
  /** the log's key: with it the server publishes checkpoints */
  logKey?: SignerKey;
  witnesses?: WitnessEndpoint[];
  /** cosignatures a checkpoint needs (default: every witness) */
  quorum?: number;
  /** how often to publish a checkpoint of new entries; 0: only by `cpansec log checkpoint` */
  checkpointIntervalMs?: number;
  /** be a witness with this cosigner key (type 0x04) for these logs */
  witnessKey?: SignerKey;
  witnessLogs?: VerifierKey[];
}

export interface ProvenanceRuntime {
  settings: ProvenanceSettings;
  log: LogStore;
  sequencer: Sequencer;
  tokens: UploaderTokens;
  witness: WitnessStore;
}

export function provenanceRuntime(store: Store, settings: ProvenanceSettings, now: () => Date): ProvenanceRuntime {
  const log = new SqlLogStore(store.db, store.dialect);
  return { settings, log, sequencer: new Sequencer(log, now), tokens: new UploaderTokens(store.db), witness: new SqlWitnessStore(store.db, store.dialect) };
}

/** POST for the checkpointer: a witness's answer, bounded in time and size. */
export async function httpPost(url: string, body: string): Promise<{ status: number; body: string; contentType: string }> {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(15_000) });
  const text = (await r.text()).slice(0, 64 * 1024);
  return { status: r.status, body: text, contentType: r.headers.get('content-type') ?? '' };
}

/** Publish a checkpoint whenever the tree grew, every `intervalMs`; returns the stop function. */
export function startCheckpointer(rt: ProvenanceRuntime, now: () => Date, onError: (e: unknown) => void): () => void {
  const { logKey, checkpointIntervalMs } = rt.settings;
  if (!logKey || !checkpointIntervalMs) return () => undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    publishCheckpoint(rt.log, { signer: logKey, witnesses: rt.settings.witnesses ?? [], ...(rt.settings.quorum !== undefined ? { quorum: rt.settings.quorum } : {}), post: httpPost, now })
      .catch(onError)
      .finally(() => (busy = false));
  }, checkpointIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
