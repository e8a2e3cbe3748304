export { isStorageError, StorageError, type StorageErrorCode } from './errors';
export { openStore, type StoreConfig } from './open';
export type * from './types';
