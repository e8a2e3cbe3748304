import { expire } from '@vitrine/consent';
import { addDuration, durationMs } from '@vitrine/policy';
import type { EventRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import { applyDecision, noticeRef } from '../flows/consent';
import { rowToState, toInteractions } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';

export interface RetentionPass {
  /** Consents that ran out and were recorded as expired, their data deleted (C9). */
  expiredConsents: number;
  expiredEvents: number;
  endedSessionEvents: number;
  endedSessions: number;
  /** Interactions taken out of the shared models in the same pass. */
  modelInteractionsRemoved: number;
  /** Consent records and rights requests past their retention as proof. */
  recordsDeleted: number;
}

/**
 * One retention pass, in the order that keeps every promise: consents that ran out are
 * recorded as expired and the data held only on them goes, as on a withdrawal (C9), and the
 * subject leaves the shared models; then expired events and the events of ended level-1
 * sessions are deleted and the shared models forget exactly those, in the same step; last,
 * consent records past their retention as proof.
 */
export async function applyRetention(
  deps: Deps,
  loaded: () => Promise<ShopRuntime[]>,
): Promise<RetentionPass | undefined> {
  try {
    const shops = await loaded();
    const now = deps.clock.now();
    const pass: RetentionPass = {
      expiredConsents: 0,
      expiredEvents: 0,
      endedSessionEvents: 0,
      endedSessions: 0,
      modelInteractionsRemoved: 0,
      recordsDeleted: 0,
    };
    for (const rt of shops) pass.expiredConsents += await expireConsents(deps, rt, now);

    // One pass for all shops: the shortest session timeout wins, which never keeps session data longer than promised.
    const timeout =
      shops.length > 0 ? Math.min(...shops.map((s) => s.compiled.sessionTimeoutMs)) : 30 * 60_000;
    const r = await deps.store.events.applyRetention(now, timeout);
    pass.expiredEvents = r.expiredEvents;
    pass.endedSessionEvents = r.endedSessionEvents;
    pass.endedSessions = r.endedSessions;
    const byShop = new Map<string, EventRow[]>();
    for (const e of r.removed) {
      const list = byShop.get(e.shopId);
      if (list) list.push(e);
      else byShop.set(e.shopId, [e]);
    }
    for (const rt of shops) {
      const removed = byShop.get(rt.shop.id);
      if (removed === undefined) continue;
      try {
        pass.modelInteractionsRemoved += deps.models.forgotten(rt, toInteractions(removed));
      } catch (err) {
        deps.log.error(
          { err, shopId: rt.shop.id },
          'retention: model update failed; rebuilding from the store',
        );
        deps.models.rebuild(rt.shop.id);
      }
    }

    for (const rt of shops) {
      const before = retentionStart(now, rt.policy.consent.record_retention);
      pass.recordsDeleted += await deps.store.consent.deleteBefore(rt.shop.id, before);
      pass.recordsDeleted += await deps.store.rightsRequests.deleteBefore(rt.shop.id, before);
    }
    // Answers kept for Idempotency-Key replays go after 24 h.
    const keys = await deps.store.idempotency.purgeExpired(now);
    if (keys > 0) deps.log.debug({ keys }, 'retention: expired idempotency keys deleted');
    if (pass.expiredConsents + pass.expiredEvents + pass.endedSessionEvents + pass.recordsDeleted > 0) {
      deps.log.info(pass, 'retention: expired data deleted');
    }
    return pass;
  } catch (err) {
    deps.log.error({ err }, 'retention job failed');
    return undefined;
  }
}

/**
 * The earliest creation time whose retention has not ended at `now`: a record made before it
 * is past `addDuration(made, duration)`. Found by bisection, as calendar months have no exact inverse.
 */
export function retentionStart(now: number, duration: string): number {
  const step = 40 * 86_400_000;
  let lo = now - (durationMs(duration) ?? 0) - step;
  while (addDuration(lo, duration) > now) lo -= step;
  let hi = now;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (addDuration(mid, duration) > now) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Records every consent of the shop that ran out as expired (C12) and applies it: data and models (C9). */
async function expireConsents(deps: Deps, rt: ShopRuntime, now: number): Promise<number> {
  let n = 0;
  for (const row of await deps.store.subjects.listExpired(rt.shop.id, now)) {
    const d = expire({
      compiled: rt.compiled,
      notice: noticeRef(rt, 'de'),
      subjectId: row.id,
      previous: rowToState(row),
      now,
    });
    if (d === null) continue;
    await applyDecision(deps, rt, d, row.createdAt);
    n++;
  }
  return n;
}
