/** TUF for CPAN mirrors: the repository's metadata (root, targets with per-author or hashed-bin delegations, snapshot, timestamp). */
export { newSigner, signerFromPem, signWith, tufKeyOf, type TufSigner } from './keys.js';
export { authorDirectory, authorOfTarget, targetPath } from './layout.js';
export { AUTHOR_ROLE_EXPIRY_DAYS, DEFAULT_EXPIRY_DAYS, authorDelegation, DELEGATION, SPEC_VERSION, TOP_ROLES, TufRepository, expiresAt, serialize, type KeyRole, type TargetEntry, type TopRole, type TufDocument, type TufOptions, type TufSigners } from './repository.js';
export { installLinearJson } from './linear-json.js';
export { authorSignature, delegatedKeyIds, delegatorsOf, pendingAuthorRole, setAuthorKeys, signAuthorRole, signAuthorRoles, type AuthorKeyUpdate, type AuthorSignatures } from './author-roles.js';
