import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';

/**
 * One retention pass: deletes expired events, the events of ended level-1 sessions and
 * expired idempotency answers, across all shops.
 */
export async function applyRetention(deps: Deps, loaded: () => Promise<ShopRuntime[]>): Promise<void> {
  try {
    const shops = await loaded();
    // One pass for all shops: the shortest session timeout wins, which never keeps session data longer than promised.
    const timeout =
      shops.length > 0 ? Math.min(...shops.map((s) => s.compiled.sessionTimeoutMs)) : 30 * 60_000;
    const now = deps.clock.now();
    const r = await deps.store.events.applyRetention(now, timeout);
    if (r.expiredEvents + r.endedSessionEvents > 0) deps.log.info(r, 'retention: expired data deleted');
    // Answers kept for Idempotency-Key replays go after 24 h.
    const keys = await deps.store.idempotency.purgeExpired(now);
    if (keys > 0) deps.log.debug({ keys }, 'retention: expired idempotency keys deleted');
  } catch (err) {
    deps.log.error({ err }, 'retention job failed');
  }
}
