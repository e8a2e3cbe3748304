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
  await deps.store.createShop(row);
  const keys: Record<'secret' | 'public', string> = { secret: '', public: '' };
  for (const kind of ['secret', 'public'] as const) {
    const k = generateApiKey(kind);
    await deps.store.addApiKey({
      id: `key_${k.hash.slice(0, 16)}`,
      shopId: row.id,
      kind,
      hash: k.hash,
      prefix: k.prefix,
      createdAt: row.createdAt,
      revokedAt: null,
    });
    keys[kind] = k.key;
  }
  return { shopId: row.id, name: row.name, secretKey: keys.secret, publicKey: keys.public };
}

/** Validates a new policy for the shop (a bad policy changes nothing) and stores it. */
export async function updateShopPolicy(deps: Deps, rt: ShopRuntime, policy: Policy): Promise<void> {
  const candidate = { ...rt.shop, policy: JSON.stringify(policy) };
  loadShopPolicy(candidate);
  await deps.store.updateShopPolicy(rt.shop.id, candidate.policy);
}
