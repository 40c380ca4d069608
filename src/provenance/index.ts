/**
 * Provenance: a checksum transparency log of CPAN releases (C2SP signed notes, checkpoints,
 * cosignatures, tiles and witnesses over RFC 6962 Merkle trees), and the clients that verify it.
 */
export * from './tlog/merkle.js';
export * from './tlog/proofs.js';
export * from './tlog/tiles.js';
export * from './tlog/edge.js';
export * from './tlog/keys.js';
export * from './tlog/note.js';
export * from './tlog/checkpoint.js';
export * from './tlog/proof-file.js';
export * from './log/entry.js';
export * from './log/checksums.js';
export * from './log/checksums-signature.js';
export * from './log/store.js';
export * from './log/append.js';
export * from './log/sequencer.js';
export * from './log/checkpointer.js';
export * from './witness/witness.js';
export * from './client/source.js';
export * from './client/verify.js';
export * from './client/monitor.js';
