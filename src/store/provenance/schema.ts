/** The tables of migration 0200 (the release transparency log). */
export interface ProvenanceDatabase {
  provenance_entries: { idx: number; path: string; sha256: string; time: string; uploader: string; data: string; leaf_hash: string };
  provenance_tile_hashes: { level: number; idx: number; hash: string };
  provenance_tree_heads: { size: number; root: string; at: string };
  provenance_checkpoints: { size: number; note: string; at: string };
  provenance_witness_sizes: { witness: string; size: number };
  provenance_uploader_tokens: { prefix: string; hash: string; uploader: string; name: string; created_at: string; revoked_at: string | null };
  provenance_witnessed: { origin: string; size: number; root: string; checkpoint: string; at: string };
}
