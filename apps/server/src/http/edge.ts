import type { Measures } from '@vitrine/policy';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import type { Readiness } from '../vitrine';
import type { AssetDirs } from './assets';
import type { Scopes, ShopEnv, SubjectEnv } from './shop-scope';

/** The demo shop whose storefront Vitrine serves at `/demo/` (`npm start`). */
export interface DemoStorefront {
  shopId: string;
  /** The demo shop's public key, which its pages carry as any shop's pages do. */
  publicKey: string;
}

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
  /** The customer pages: where the built browser files are, and the demo storefront if any. */
  pages: { enabled: boolean; assets: AssetDirs; demo: DemoStorefront | undefined };
  /** What is built and enabled, for the generated documents (only true statements); per shop. */
  measures(shopId: string): Measures;
}
