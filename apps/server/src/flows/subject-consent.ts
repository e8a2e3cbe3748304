import { type ConsentState, effectiveState, grantedPurposes, initialState } from '@vitrine/consent';
import type { SubjectRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import { rowToState } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';

export interface SubjectConsent {
  /** The consent that holds now: expired or changed parts already taken out (C11). */
  state: ConsentState;
  stored: SubjectRow | undefined;
  needsReconsent: boolean;
  granted: ReadonlySet<string>;
  paused: boolean;
  /** The subject's data may count towards the shared models. */
  aggregate: boolean;
}

/** The current consent of each subject; subjects never seen are at level 0 (D1). One query per call. */
export async function subjectConsent(
  deps: Deps,
  rt: ShopRuntime,
  ids: readonly string[],
): Promise<Map<string, SubjectConsent>> {
  const rows =
    ids.length === 1
      ? [await deps.store.subjects.get(rt.shop.id, ids[0]!)].filter((r) => r !== undefined)
      : await deps.store.subjects.getMany(rt.shop.id, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = deps.clock.now();
  const out = new Map<string, SubjectConsent>();
  for (const id of ids) {
    const stored = byId.get(id);
    const eff = effectiveState(stored ? rowToState(stored) : initialState(id), rt.notice, rt.compiled, now);
    const granted = new Set(grantedPurposes(eff.state));
    out.set(id, {
      state: eff.state,
      stored,
      needsReconsent: eff.needsReconsent,
      granted,
      paused: eff.state.paused,
      aggregate: !eff.state.paused && granted.has('aggregate_models'),
    });
  }
  return out;
}
