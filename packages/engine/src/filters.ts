import { pathPrefixKey } from './models/items';
import type { Models } from './models/models';
import type { Filters } from './types';

/**
 * Compiles filters into a predicate over interned items. `exclude` applies to every item; the
 * catalog filters (category prefix, price range, in stock) can only be met by catalog items.
 */
export function compileFilter(models: Models, filters: Filters | undefined): (item: number) => boolean {
  const table = models.items;
  const excluded = new Set<number>();
  for (const id of filters?.exclude ?? []) {
    const i = table.idx(id);
    if (i !== undefined) excluded.add(i);
  }
  const prefix = filters?.category && filters.category.length > 0 ? pathPrefixKey(filters.category) : null;
  const min = filters?.minPrice;
  const max = filters?.maxPrice;
  const inStock = filters?.inStock === true;
  const needsCatalog = prefix !== null || min !== undefined || max !== undefined || inStock;
  return (item) => {
    if (excluded.has(item)) return false;
    if (!needsCatalog) return true;
    if (!table.inCatalog(item)) return false;
    if (inStock && !table.available(item)) return false;
    const price = table.priceOf(item);
    if (min !== undefined && !(price >= min)) return false;
    if (max !== undefined && !(price <= max)) return false;
    return prefix === null || table.pathKey(item).startsWith(prefix);
  };
}
