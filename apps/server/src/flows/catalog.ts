import { formatPath, type Item, ItemInput, type ItemResponse, VitrineError } from '@vitrine/contracts';
import type { ItemRow, Store } from '@vitrine/storage';
import type { Deps } from '../deps';
import { toCatalogItem } from '../runtime/rows';
import { readItems, type ShopRuntime } from '../runtime/shop-runtime';

export interface RejectedRow {
  /** Index in the request, or line number in a file. */
  index: number;
  field: string;
  message: string;
}

export interface UpsertResult {
  upserted: number;
  rejected: RejectedRow[];
  /** The items stored, for the caller to update in-memory models. */
  items: ItemRow[];
}

export function toItemRow(shopId: string, item: Item, now: number): ItemRow {
  return {
    shopId,
    id: item.id,
    title: item.title,
    categoryPath: item.category_path,
    price: item.price,
    currency: item.currency,
    attributes: item.attributes,
    available: item.available,
    updatedAt: now,
  };
}

/** Validates one raw item; returns the item or the first problem with its field. */
export function validateItem(raw: unknown): { item: Item } | { field: string; message: string } {
  const r = ItemInput.safeParse(raw);
  if (r.success) return { item: r.data };
  const issue = r.error.issues[0];
  return { field: formatPath(issue?.path ?? []) || '(item)', message: issue?.message ?? 'invalid item' };
}

/**
 * Upserts a batch of catalog items. Each row is validated on its own: good rows are stored
 * and bad rows reported, or with `strict` one bad row refuses the whole batch. Either way
 * nothing already stored is lost: the write is one transaction.
 */
export async function upsertCatalog(
  store: Store,
  shopId: string,
  rows: ReadonlyArray<{ index: number; raw: unknown } | { index: number; item: Item }>,
  opts: { strict: boolean; now: number; fieldOf?: (index: number, field: string) => string },
): Promise<UpsertResult> {
  const good: ItemRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const v = 'item' in row ? { item: row.item } : validateItem(row.raw);
    if ('item' in v) {
      const at = seen.get(v.item.id);
      const itemRow = toItemRow(shopId, v.item, opts.now);
      // The last occurrence of an id in one batch wins, as it would in sequential upserts.
      if (at !== undefined) good[at] = itemRow;
      else {
        seen.set(v.item.id, good.length);
        good.push(itemRow);
      }
    } else rejected.push({ index: row.index, field: v.field, message: v.message });
  }
  const fieldOf =
    opts.fieldOf ??
    ((index: number, field: string) => `items[${index}]${field === '(item)' ? '' : `.${field}`}`);
  for (const r of rejected) r.field = fieldOf(r.index, r.field);
  if (opts.strict && rejected.length > 0) {
    const first = rejected[0]!;
    throw new VitrineError(
      'validation_failed',
      `${rejected.length} item${rejected.length > 1 ? 's are' : ' is'} invalid (first: ${first.field}: ${first.message}); in strict mode nothing was imported. Fix them, or import without strict mode to keep the good ones.`,
      {
        field: first.field,
        issues: rejected.slice(0, 100).map((r) => ({ field: r.field, message: r.message })),
      },
    );
  }
  if (good.length > 0) await store.catalog.upsert(good);
  return { upserted: good.length, rejected, items: good };
}

/** Upserts into the store and then, from what was stored, into the shop's in-memory catalog and models. */
export async function upsertShopCatalog(
  deps: Deps,
  rt: ShopRuntime,
  rows: Parameters<typeof upsertCatalog>[2],
  opts: { strict: boolean },
): Promise<UpsertResult> {
  const r = await upsertCatalog(deps.store, rt.shop.id, rows, { ...opts, now: deps.clock.now() });
  deps.models.itemsChanged(rt, r.items.map(toCatalogItem));
  return r;
}

/** One stored item as the API answers it. */
export async function getItem(deps: Deps, rt: ShopRuntime, id: string): Promise<ItemResponse> {
  const item = await deps.store.catalog.get(rt.shop.id, id);
  if (!item)
    throw new VitrineError('not_found', `There is no item ${id} in this shop's catalog.`, { field: 'id' });
  return {
    id: item.id,
    title: item.title,
    category_path: item.categoryPath,
    price: item.price,
    currency: item.currency,
    attributes: item.attributes,
    available: item.available,
    updated_at: new Date(item.updatedAt).toISOString(),
  };
}

/**
 * Loads items changed in the store since the last sync (a file import, another API process)
 * into the shop's in-memory catalog and models.
 */
export async function syncCatalog(deps: Deps, rt: ShopRuntime): Promise<number> {
  const since = rt.catalogSyncedAt;
  rt.catalogSyncedAt = deps.clock.now();
  const items = await readItems(deps.store, rt.shop.id, since);
  if (items.length === 0) return 0;
  deps.models.itemsChanged(rt, items);
  return items.length;
}
