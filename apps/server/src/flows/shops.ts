import { VitrineError } from '@vitrine/contracts';
import { checkPolicyBuilds, type Policy } from '@vitrine/policy';
import type { ShopRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import { generateApiKey } from '../keys';
import { ensureNotice, loadShopPolicy, newShopRow } from '../runtime/shop-runtime';

export interface CreatedShop {
  shopId: string;
  name: string;
  secretKey: string;
  publicKey: string;
}

/**
 * A new shop with its secret and public key; the keys are returned once, only their hashes are
 * stored. The policy is checked as a running server will load it before anything is written;
 * the shop, its keys and its first notice then commit together: a failure leaves nothing.
 */
export async function createShop(deps: Deps, name: string, policy: Policy): Promise<CreatedShop> {
  const row = newShopRow(name, policy, deps.clock.now());
  const { compiled } = loadShopPolicy(row);
  checkPolicyBuilds(policy, `policy of the new shop "${row.name}"`);
  const keys = { secret: generateApiKey('secret'), public: generateApiKey('public') };
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
    await ensureNotice(tx, row.id, compiled, row.createdAt);
  });
  return { shopId: row.id, name: row.name, secretKey: keys.secret.key, publicKey: keys.public.key };
}

/**
 * An origin as a browser sends it: `https://host` or `http://host:port`, nothing after. The
 * customer pages name these in `Content-Security-Policy: frame-ancestors` and accept the
 * subject's token only from them.
 */
export function parseOrigin(value: string, field: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  const origin = url?.origin;
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    origin === undefined ||
    value.replace(/\/$/, '') !== origin
  ) {
    throw new VitrineError(
      'validation_failed',
      `"${value}" is not an origin. Give scheme, host and port only, e.g. https://shop.example or http://127.0.0.1:3000 (no path, no trailing text).`,
      { field },
    );
  }
  return origin;
}

/** Sets the origins whose pages may embed the shop's customer pages (replacing the list). */
export async function setShopOrigins(
  deps: Deps,
  shopId: string,
  origins: readonly string[],
): Promise<string[]> {
  const parsed = [...new Set(origins.map((o, i) => parseOrigin(o, `origins[${i}]`)))];
  if (!(await deps.store.shops.get(shopId))) {
    throw new VitrineError(
      'not_found',
      `There is no shop ${shopId}. List the shops with: vitrine shop list`,
      {
        field: 'shop_id',
      },
    );
  }
  await deps.store.shops.updateOrigins(shopId, parsed);
  return parsed;
}

/** Validates a new policy for the shop (a bad policy changes nothing) and stores it. */
export async function updateShopPolicy(deps: Deps, shop: ShopRow, policy: Policy): Promise<void> {
  const candidate = { ...shop, policy: JSON.stringify(policy) };
  loadShopPolicy(candidate);
  checkPolicyBuilds(policy, `policy of shop ${shop.id}`);
  await deps.store.shops.updatePolicy(shop.id, candidate.policy);
}
