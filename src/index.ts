/** The cpansec library API. */
export { CpansecError, isCpansecError, type ErrorCode } from './errors.js';
export * from './perl/index.js';
export * from './advisory/index.js';
export * from './index/index.js';
export * from './audit/index.js';
