/** The release transparency log's HTTP side (tiles, write API, witness). */
export { provenanceRoutes } from './routes.js';
export { provenanceRuntime, startCheckpointer, httpPost, type ProvenanceSettings, type ProvenanceRuntime } from './settings.js';
export { startWitness, type RunningWitness, type WitnessOptions } from './witness-server.js';
