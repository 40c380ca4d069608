export { parseCpanfile } from './cpanfile.js';
export { parseSnapshot, snapshotDependencies, type Snapshot, type SnapshotDistribution } from './snapshot.js';
export { metaDependencies } from './meta-prereqs.js';
export { readInstalled } from './installed.js';
export { discoverSources, readSources, readSourceFile, type Sources } from './discover.js';
