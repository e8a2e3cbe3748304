export { type Config, ConfigError, describeConfig, parseConfig, type StoreConfig } from './config';
export type { Deps, ModelUpdates } from './deps';
export { upsertCatalog } from './flows/catalog';
export { createApp } from './http/app';
export { type CreatedShop, Vitrine } from './vitrine';
