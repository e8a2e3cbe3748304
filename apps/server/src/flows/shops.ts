import type { Policy } from '@vitrine/policy';
import type { Deps } from '../deps';
import { generateApiKey } from '../keys';
import { loadShopPolicy, newShopRow, type ShopRuntime } from '../runtime/shop-runtime';

export interface CreatedShop {
  shopId: string;
  name: string;
  secretKey: string;
  publicKey: string;
}

/** A new shop with its secret and public key; the keys are returned once, only their hashes are stored. */
export async function createShop(deps: Deps, name: string, policy: Policy): Promise<CreatedShop> {
  const row = newShopRow(name, policy, deps.clock.now());
  const keys = { secret: generateApiKey('secret'), public: generateApiKey('public') };
  // The shop and its keys commit together: no shop without keys to reach it.
  await deps.store.transaction(async (tx) => {
    await tx.shops.create(row);
    for (const kind of ['secret', 'public'] as const) {
      const k = keys[kind];
      await tx.keys.add({
        id: `key_${k.hash.slice(0, 16)}`,
        shopId: row.id,
        kind,
        hash: k.hash,
        prefix: k.prefix,
        createdAt: row.createdAt,
        revokedAt: null,
      });
    }
  });
  return { shopId: row.id, name: row.name, secretKey: keys.secret.key, publicKey: keys.public.key };
}

/** Validates a new policy for the shop (a bad policy changes nothing) and stores it. */
export async function updateShopPolicy(deps: Deps, rt: ShopRuntime, policy: Policy): Promise<void> {
  const candidate = { ...rt.shop, policy: JSON.stringify(policy) };
  loadShopPolicy(candidate);
  await deps.store.shops.updatePolicy(rt.shop.id, candidate.policy);
}
