import { own } from '@vitrine/contracts';
import { type CompiledPolicy, levelPurposes } from '@vitrine/policy';
import type { ConsentState } from './schema';

/** D1: a new subject starts at level 0 with nothing granted and no notice seen yet. */
export function initialState(subjectId: string): ConsentState {
  return {
    subjectId,
    level: 0,
    purposes: {},
    noticeVersion: 0,
    gpc: false,
    paused: false,
    dpvState: 'requested',
    validUntil: null,
    purposeScopes: {},
  };
}

export function grantedPurposes(state: ConsentState): string[] {
  return Object.keys(state.purposes).filter((id) => own(state.purposes, id) === true);
}

export interface EffectiveState {
  state: ConsentState;
  /** The customer must be asked again: consent expired, or parts of it changed or are new. */
  needsReconsent: boolean;
  /** Purposes that were granted but are treated as not consented now (changed scope, C11). */
  invalidated: string[];
}

const offeredAt = (compiled: CompiledPolicy, level: ConsentState['level'], id: string): boolean =>
  levelPurposes(compiled, level).has(id) || compiled.switches.has(id);

/**
 * The consent that holds now (C11, expiry). A purpose whose scope hash differs from the one it
 * was granted under, or that is no longer offered at the subject's level, counts as not
 * consented until the customer chooses again; a purpose new in their level was never granted.
 */
export function effectiveState(
  state: ConsentState,
  currentNotice: { readonly version: number },
  compiled: CompiledPolicy,
  now: number,
): EffectiveState {
  if (state.validUntil !== null && now >= state.validUntil) {
    const purposes = Object.fromEntries(Object.keys(state.purposes).map((id) => [id, false]));
    return {
      state: { ...state, level: 0, purposes, dpvState: 'expired', validUntil: null, purposeScopes: {} },
      needsReconsent: true,
      invalidated: [],
    };
  }
  if (state.noticeVersion === 0 || state.noticeVersion === currentNotice.version) {
    return { state, needsReconsent: false, invalidated: [] };
  }
  const invalidated = grantedPurposes(state).filter(
    (id) =>
      compiled.purposeScopes.get(id) !== own(state.purposeScopes, id) ||
      !offeredAt(compiled, state.level, id),
  );
  const isNew = [...levelPurposes(compiled, state.level)].some((id) => !Object.hasOwn(state.purposes, id));
  if (invalidated.length === 0) return { state, needsReconsent: isNew, invalidated };
  const purposes = { ...state.purposes };
  const purposeScopes = { ...state.purposeScopes };
  for (const id of invalidated) {
    purposes[id] = false;
    delete purposeScopes[id];
  }
  return {
    state: { ...state, purposes, purposeScopes, dpvState: 'invalidated' },
    needsReconsent: true,
    invalidated,
  };
}

/** R6: pause or resume personalization; the data is kept, no new data is collected meanwhile. */
export function setPaused(state: ConsentState, paused: boolean): ConsentState {
  return state.paused === paused ? state : { ...state, paused };
}
