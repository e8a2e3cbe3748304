import type { Deps } from '../deps';
import { syncCatalog } from '../flows/catalog';
import { refreshModels, type ShopRuntime } from '../runtime/shop-runtime';

/**
 * One refresh pass over the loaded shops: catalog changes made outside this process are
 * loaded, and the derived model weights of each shop whose models changed are recomputed.
 */
export async function refreshShops(deps: Deps, loaded: () => Promise<ShopRuntime[]>): Promise<void> {
  for (const rt of await loaded()) {
    await syncCatalog(deps, rt).catch((err) =>
      deps.log.error({ err, shopId: rt.shop.id }, 'catalog sync failed'),
    );
    if (!rt.models.stats().derivedStale) continue;
    const t0 = performance.now();
    await refreshModels(rt).catch((err) =>
      deps.log.error({ err, shopId: rt.shop.id }, 'model refresh failed'),
    );
    deps.log.info({ shopId: rt.shop.id, ms: Math.round(performance.now() - t0) }, 'models refreshed');
  }
}
