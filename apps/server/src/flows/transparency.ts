import { effectiveState } from '@vitrine/consent';
import type { TransparencyReport } from '@vitrine/policy';
import type { Deps } from '../deps';
import { rowToState } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

const share = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);

/**
 * The shop's transparency report (issue 12): categories collected, consent shares per level as
 * the consent holds now, rights requests with their median completion time, erasures with
 * their median duration, and the latest signed checkpoint with the key to check it.
 */
export async function transparencyReport(deps: Deps, rt: ShopRuntime): Promise<TransparencyReport> {
  const shopId = rt.shop.id;
  const now = deps.clock.now();
  const [subjects, requests, erasures, entries, checkpoint, publicKey] = await Promise.all([
    deps.store.subjects.list(shopId),
    deps.store.rightsRequests.list(shopId),
    deps.store.erasures.list(shopId),
    deps.store.audit.size(shopId),
    deps.store.audit.latestCheckpoint(shopId),
    deps.audit.publicKey(shopId),
  ]);
  const counts = [0, 0, 0, 0];
  let paused = 0;
  let gpc = 0;
  for (const row of subjects) {
    const { state } = effectiveState(rowToState(row), rt.notice, rt.compiled, now);
    counts[state.level]!++;
    if (state.paused) paused++;
    if (state.gpc) gpc++;
  }
  const byKind: Record<string, number> = {};
  for (const r of requests) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const done = requests.filter((r) => r.completedAt !== null);
  const completed = erasures.filter((e) => e.status === 'completed' && e.completedAt !== null);
  return {
    shop_id: shopId,
    generated_at: new Date(now).toISOString(),
    categories: Object.entries(rt.policy.categories).map(([id, c]) => ({
      id,
      label: c.label,
      kind: c.kind,
      retention: c.retention,
    })),
    consent: {
      subjects: subjects.length,
      levels: ([0, 1, 2, 3] as const).map((level) => ({
        level,
        share: share(counts[level]!, subjects.length),
      })),
      paused_share: share(paused, subjects.length),
      gpc_share: share(gpc, subjects.length),
    },
    rights_requests: {
      total: requests.length,
      open: requests.length - done.length,
      overdue: requests.filter((r) => (r.completedAt ?? now) > r.deadlineAt).length,
      by_kind: byKind,
      median_completion_ms: median(done.map((r) => r.completedAt! - r.receivedAt)),
    },
    erasures: {
      completed: completed.length,
      pending: erasures.length - completed.length,
      median_duration_ms: median(completed.map((e) => e.completedAt! - e.requestedAt)),
    },
    audit: {
      entries,
      checkpoint: checkpoint?.text ?? null,
      checkpoint_size: checkpoint?.size ?? 0,
      signed_at: checkpoint === undefined ? null : new Date(checkpoint.timestamp).toISOString(),
      public_key: publicKey,
    },
  };
}
