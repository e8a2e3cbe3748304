import type { CatalogItem, Interaction } from '@vitrine/engine';
import type { ModelUpdates } from './deps';
import type { Rebuilds } from './runtime/rebuilds';
import type { ShopRuntime } from './runtime/shop-runtime';

/**
 * Model updates within this process: applied to the shop's in-memory models at once, and a
 * rebuild that is running meanwhile runs once more. An event bus would wrap this to bring the
 * other processes along.
 */
export class LocalModelUpdates implements ModelUpdates {
  constructor(private readonly rebuilds: Rebuilds) {}

  learned(rt: ShopRuntime, interactions: readonly Interaction[]): void {
    rt.models.add(interactions);
    this.rebuilds.changed(rt.shop.id);
  }

  subjectLeft(rt: ShopRuntime, subjectId: string): void {
    rt.models.removeSubject(subjectId);
    this.rebuilds.changed(rt.shop.id);
  }

  forgotten(rt: ShopRuntime, interactions: readonly Interaction[]): number {
    const removed = rt.models.removeInteractions(interactions);
    if (removed > 0) this.rebuilds.changed(rt.shop.id);
    return removed;
  }

  subjectReturned(rt: ShopRuntime, subjectId: string, interactions: readonly Interaction[]): void {
    rt.models.removeSubject(subjectId);
    rt.models.add(interactions.filter((i) => i.subject === subjectId));
    this.rebuilds.changed(rt.shop.id);
  }

  itemsChanged(rt: ShopRuntime, items: readonly CatalogItem[]): void {
    rt.models.upsertItems(items);
    for (const i of items) rt.catalog.set(i.id, i);
    this.rebuilds.changed(rt.shop.id);
  }

  rebuild(shopId: string): void {
    this.rebuilds.schedule(shopId);
  }
}
