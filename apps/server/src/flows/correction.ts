import { type ExclusionOut, type ExclusionRequest, newId, VitrineError } from '@vitrine/contracts';
import type { ExclusionRow, RightsRequestProof } from '@vitrine/storage';
import type { Deps } from '../deps';
import { toInteractions } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { asRequest } from './rights-requests';

export interface EventRemoved {
  subject_id: string;
  deleted: string[];
  /** Interactions taken out of the shared models (0 when they were never in them). */
  models_removed: number;
  request_id: string;
}

/**
 * A correction (R3): one event of the subject is deleted (a purchase with all its lines), and
 * taken out of the shared models exactly, at once. The next recommendations and their reasons
 * no longer rest on it.
 */
export async function removeEvent(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  eventId: string,
  proof: RightsRequestProof,
): Promise<EventRemoved> {
  const shopId = rt.shop.id;
  const exists = (await deps.store.events.listForSubject(shopId, subjectId)).some(
    (e) => e.id === eventId || e.id.startsWith(`${eventId}.`),
  );
  if (!exists) {
    throw new VitrineError(
      'not_found',
      `The subject has no event ${eventId}. The export lists the stored events with their ids.`,
      { field: 'event_id' },
    );
  }
  return asRequest(
    deps,
    rt,
    subjectId,
    'correction',
    proof,
    async (request) => {
      const rows = await deps.store.events.deleteEvents(shopId, subjectId, [eventId]);
      let removed = 0;
      try {
        removed = deps.models.forgotten(rt, toInteractions(rows));
      } catch (err) {
        deps.log.error({ err, shopId }, 'model update after a correction failed; rebuilding from the store');
        deps.models.rebuild(shopId);
      }
      return {
        subject_id: subjectId,
        deleted: rows.map((r) => r.id),
        models_removed: removed,
        request_id: request.id,
      };
    },
    { action: 'delete_event', event: eventId },
  );
}

export function exclusionOut(x: ExclusionRow): ExclusionOut {
  return { id: x.id, item_id: x.itemId, category: x.category, created: new Date(x.createdAt).toISOString() };
}

/** "Don't use this" (R3): an item or a catalog category left out of the subject's personalization from now on. */
export async function addExclusion(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  body: ExclusionRequest,
  proof: RightsRequestProof,
): Promise<ExclusionOut> {
  const row: ExclusionRow = {
    shopId: rt.shop.id,
    id: newId('exclusion'),
    subjectId,
    itemId: body.item_id ?? null,
    category: body.category ?? null,
    createdAt: deps.clock.now(),
  };
  return asRequest(
    deps,
    rt,
    subjectId,
    'correction',
    proof,
    async () => {
      await deps.store.exclusions.add(row);
      return exclusionOut(row);
    },
    { action: 'exclude', exclusion: row.id },
  );
}

export async function listExclusions(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
): Promise<ExclusionOut[]> {
  return (await deps.store.exclusions.list(rt.shop.id, subjectId)).map(exclusionOut);
}

export async function getExclusion(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  id: string,
): Promise<ExclusionOut> {
  const found = (await deps.store.exclusions.list(rt.shop.id, subjectId)).find((x) => x.id === id);
  if (found === undefined) {
    throw new VitrineError('not_found', `The subject has no exclusion ${id}.`, { field: 'exclusion_id' });
  }
  return exclusionOut(found);
}

export async function removeExclusion(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  id: string,
  proof: RightsRequestProof,
): Promise<{ deleted: string }> {
  await getExclusion(deps, rt, subjectId, id);
  return asRequest(
    deps,
    rt,
    subjectId,
    'correction',
    proof,
    async () => {
      await deps.store.exclusions.delete(rt.shop.id, subjectId, id);
      return { deleted: id };
    },
    { action: 'lift_exclusion', exclusion: id },
  );
}

/** Whether an item is excluded: by id, or because its catalog path starts with an excluded category. */
export function excludedBy(
  rt: ShopRuntime,
  exclusions: readonly ExclusionRow[],
): (itemId: string) => boolean {
  const items = new Set(exclusions.flatMap((x) => (x.itemId === null ? [] : [x.itemId])));
  const paths = exclusions.flatMap((x) => (x.category === null ? [] : [x.category]));
  return (itemId) => {
    if (items.has(itemId)) return true;
    if (paths.length === 0) return false;
    const path = rt.catalog.get(itemId)?.categoryPath;
    if (path === undefined) return false;
    return paths.some((p) => p.length <= path.length && p.every((level, i) => path[i] === level));
  };
}
