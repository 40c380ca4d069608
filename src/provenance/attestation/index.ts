/** Signed releases: Ed25519 keys, DSSE envelopes, in-toto statements, Sigstore bundles, verification. */
export { generateSigningKey, keyIdOf, publicKeyLine, publicKeyPem, readPublicKey, readSigningKey, type SigningKey } from './keys.js';
export { IN_TOTO_PAYLOAD_TYPE, pae, signEnvelope, type Envelope } from './dsse.js';
export { STATEMENT_TYPE, parseStatement, statementFor, type Statement, type ResourceDescriptor } from './statement.js';
export { CPAN_BUILD_TYPE, LOCAL_BUILDER, RELEASE_PREDICATE_V1, SLSA_PROVENANCE_V1, predicateAuthor, releasePredicate, slsaPredicate, type ReleaseFacts } from './predicate.js';
export { BUNDLE_V03_MEDIA_TYPE, KNOWN_MEDIA_TYPES, MAX_BUNDLE_BYTES, keyBundle, parseBundle, type ParsedBundle, type SerializedKeyBundle } from './bundle.js';
export { bundleKeyHint, parseTrustedRoot, signerKind, verifyWithSigstore, type SigstoreResult, type SigstoreVerifyOptions } from './sigstore.js';
export { sha256Hex, signRelease, tarballFacts, type PredicateKind, type SignOptions } from './sign.js';
export { trustedKeyFromFile, verifyRelease, type Check, type KeyStatus, type TrustedKey, type VerifyReleaseInput, type VerifyReleaseResult } from './verify.js';
export { PAUSE_ID, foldKeys, planKeyChange, type AuthorKey, type AuthorKeyStore, type KeyAction, type KeyChange, type KeyChangeRequest } from './registry.js';
export { KEY_CHANGE_PAYLOAD_TYPE, openKeyChange, signKeyChange } from './signed-change.js';
export { KEY_CHANGE_DIRECTORY, KEY_CHANGE_DOCUMENT_TYPE, catchUpKeyChanges, keyChangeDocument, keyChangeLogEntry, keyChangePath, logKeyChanges, parseKeyChangePath, type AppendToLog, type LoggedChange } from './key-log.js';
