import { type ConsentState, effectiveState, grantedPurposes, initialState } from '@vitrine/consent';
import type { SubjectRow } from '@vitrine/storage';
import type { ShopRuntime } from '../shop-runtime';
import type { Vitrine } from '../vitrine';

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

export function rowToState(row: SubjectRow): ConsentState {
  return {
    subjectId: row.id,
    level: row.level,
    purposes: row.purposes,
    noticeVersion: row.noticeVersion,
    gpc: row.gpc,
    paused: row.paused,
    dpvState: row.dpvState,
    validUntil: row.validUntil,
    purposeScopes: row.purposeScopes,
  };
}

export function stateToRow(shopId: string, s: ConsentState, createdAt: number, now: number): SubjectRow {
  return {
    shopId,
    id: s.subjectId,
    level: s.level,
    purposes: s.purposes,
    noticeVersion: s.noticeVersion,
    gpc: s.gpc,
    paused: s.paused,
    dpvState: s.dpvState,
    validUntil: s.validUntil,
    purposeScopes: s.purposeScopes,
    createdAt,
    updatedAt: now,
  };
}

/** The current consent of each subject; subjects never seen are at level 0 (D1). One query per call. */
export async function subjectConsent(
  vitrine: Vitrine,
  rt: ShopRuntime,
  ids: readonly string[],
): Promise<Map<string, SubjectConsent>> {
  const rows =
    ids.length === 1
      ? [await vitrine.store.getSubject(rt.shop.id, ids[0]!)].filter((r) => r !== undefined)
      : await vitrine.store.getSubjects(rt.shop.id, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = vitrine.now();
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
