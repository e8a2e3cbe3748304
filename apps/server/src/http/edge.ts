import type { Measures } from '@vitrine/policy';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import type { Readiness } from '../vitrine';
import type { Scopes, ShopEnv, SubjectEnv } from './shop-scope';

/** What every route module is built from: the flows' deps, the shop scopes, and the shops. */
export interface Edge {
  deps: Deps;
  scopes: Scopes;
  shop(shopId: string): Promise<ShopRuntime>;
  /** Whether the service can serve, and which shops it cannot (for `/readyz`). */
  readiness(): Promise<Readiness>;
  /** `Idempotency-Key` on a write route; place it after the body is validated. */
  idempotent: MiddlewareHandler<ShopEnv | SubjectEnv>;
  /** List every shop on the landing page (the demo); off by default, as tenants are nobody else's business. */
  listShops: boolean;
  /** What is built and enabled, for the generated documents (only true statements); per shop. */
  measures(shopId: string): Measures;
}
