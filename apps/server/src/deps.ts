import type { CatalogItem, Interaction } from '@vitrine/engine';
import type { IdentityVault } from '@vitrine/identity';
import type { Store } from '@vitrine/storage';
import type { Logger } from 'pino';
import type { AuditTrail } from './audit-trail';
import type { Clock } from './clock';
import type { ShopRuntime } from './runtime/shop-runtime';
import type { SubjectTokens } from './subject-token';

export type { Clock };

/**
 * What a flow may use, and nothing more: no HTTP, no shop cache, no timers. A new capability
 * that every flow needs (an audit log, say) is one more field here, filled in by `Vitrine`.
 */
export interface Deps {
  store: Store;
  clock: Clock;
  log: Logger;
  tokens: SubjectTokens;
  models: ModelUpdates;
  /** The tamper-evident log of consent changes, rights requests, erasures and data access (D5). */
  audit: AuditTrail;
  /** The identity store (D3); undefined when no master key is configured (then it is off). */
  identity: IdentityVault | undefined;
}

/**
 * Where the facts that change a shop's shared models go once they are committed. Flows call
 * it after the store has the change, never before, so memory never runs ahead of the store.
 * In one process the change is applied to the shop's in-memory models at once; an event bus
 * will implement the same calls to bring every process's models along.
 */
export interface ModelUpdates {
  /** Stored events of subjects who allow shared models: learned at once. */
  learned(rt: ShopRuntime, interactions: readonly Interaction[]): void;
  /** The subject no longer allows shared models: their interactions are taken out exactly. */
  subjectLeft(rt: ShopRuntime, subjectId: string): void;
  /**
   * Stored events were deleted (retention, a correction): the ones the models learned are taken
   * out exactly. Returns how many were.
   */
  forgotten(rt: ShopRuntime, interactions: readonly Interaction[]): number;
  /**
   * The subject allows shared models again (a pause ended): the models hold exactly these of
   * their interactions afterwards, whatever they held of the subject before.
   */
  subjectReturned(rt: ShopRuntime, subjectId: string, interactions: readonly Interaction[]): void;
  /** Catalog items stored or changed. */
  itemsChanged(rt: ShopRuntime, items: readonly CatalogItem[]): void;
  /** The store changed in a way an in-place update cannot follow: rebuild from the store. */
  rebuild(shopId: string): void;
}
