export {
  CONFIG_VARIABLES,
  type Config,
  ConfigError,
  DEFAULT_LIMITS,
  describeConfig,
  type Limits,
  parseConfig,
  type Rate,
  type StoreConfig,
} from './config';
export type { Deps, ModelUpdates } from './deps';
export { upsertCatalog } from './flows/catalog';
export { type AppOptions, createApp } from './http/app';
export { type CreatedShop, type Readiness, type UnavailableShop, Vitrine } from './vitrine';
