/** The provenance log's persistence: the log, the witness's state and uploader tokens over the server's store. */
export { SqlLogStore } from './log-store.js';
export { SqlWitnessStore } from './witness-store.js';
export { UploaderTokens, type UploaderToken } from './tokens.js';
