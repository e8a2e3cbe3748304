export {
  createSubjectKey,
  decryptField,
  encryptField,
  fromText,
  IDENTITY_FIELDS,
  type IdentityField,
  rewrapSubjectKey,
  SubjectKey,
  type SubjectRef,
  toText,
  unwrapSubjectKey,
  wrappedKeyMasterId,
} from './envelope';
export { IDENTITY_ERROR_CODES, IdentityError, type IdentityErrorCode, isIdentityError } from './errors';
export {
  DEFAULT_MASTER_KEY_SETTING,
  generateMasterKey,
  identityStartCheck,
  MASTER_KEY_BYTES,
  MasterKey,
  MasterKeyring,
  parseMasterKey,
  parseMasterKeyring,
  type RunMode,
  type StartCheck,
} from './master-key';
export {
  type Identity,
  type IdentityRead,
  type IdentityStore,
  IdentityVault,
  MemoryIdentityStore,
  type SealedFields,
  type WrappedKeyRow,
} from './vault';
