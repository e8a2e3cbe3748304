export { canonicalJson, type Json } from './canonical';
export {
  type Checkpoint,
  type CheckpointCheck,
  checkpointBody,
  checkpointOrigin,
  openCheckpoint,
  parseCheckpoint,
  type SignedCheckpoint,
  signCheckpoint,
} from './checkpoint';
export {
  type AuditCheckProofInput,
  type AuditProveConsistencyInput,
  type AuditProveInput,
  type AuditVerifyInput,
  auditCheckProof,
  auditProve,
  auditProveConsistency,
  auditVerify,
  type CheckedProof,
  type CommandResult,
} from './cli';
export {
  AUDIT_KINDS,
  type AuditEntry,
  type AuditEntryInput,
  type AuditKind,
  assertNoPersonalData,
  checkEntry,
  type EntryCheck,
  entryHash,
  entryHashHex,
  entryText,
  GENESIS_PREV,
  hashSubject,
  isPseudonymousSubject,
  nextEntry,
} from './entry';
export { AUDIT_ERROR_CODES, AuditError, type AuditErrorCode, isAuditError } from './errors';
export {
  type AuditKeyPair,
  type ExportedPublicKey,
  exportPrivateKey,
  exportPublicKey,
  generateAuditKeys,
  importPrivateKey,
  importPublicKey,
  noteKeyId,
  noteVerifierKey,
  publicKeyOf,
  rawPublicKey,
  signBytes,
  verifyBytes,
} from './keys';
export { AuditLog, type AuditLogOptions } from './log';
export {
  EMPTY_ROOT,
  HASH_BYTES,
  leafHash,
  MerkleTree,
  nodeHash,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
export { type Lang, type ProblemParams, type ProblemVariant, problemText } from './messages';
export {
  buildConsistencyProof,
  buildInclusionProof,
  type ConsistencyProof,
  type InclusionProof,
  type ProofCheck,
  verifyConsistencyProof,
  verifyInclusionProof,
} from './proof';
export { type AuditStore, MemoryAuditStore } from './store';
export {
  describeProblem,
  type LogProblem,
  type LogProblemCode,
  type VerifyOptions,
  type VerifyResult,
  verifyLog,
} from './verify';
