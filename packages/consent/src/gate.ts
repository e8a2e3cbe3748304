import { type EventType, own } from '@vitrine/contracts';
import { type CompiledPolicy, categoriesFor, categoryStorage } from '@vitrine/policy';
import type { ConsentState } from './schema';
import { grantedPurposes } from './state';

const NOTHING: ReadonlySet<string> = new Set();

/**
 * The data categories personalization may read for this subject: none while paused (R6).
 * Pass the state from `effectiveState`, so that changed or expired consent counts (C11).
 */
export function allowedCategories(state: ConsentState, compiled: CompiledPolicy): ReadonlySet<string> {
  return state.paused ? NOTHING : categoriesFor(compiled, grantedPurposes(state));
}

export type EventGate =
  | {
      readonly allowed: true;
      readonly category: string;
      /** Kept only until the session ends (then `retention` is null); else until `addDuration(ts, retention)`. */
      readonly sessionOnly: boolean;
      readonly retention: string | null;
      /** The declared fields that may be kept; the rest is dropped (minimisation). */
      readonly fields: readonly string[];
    }
  | { readonly allowed: false; readonly category: string; readonly reason: 'no_consent' | 'paused' };

/**
 * Whether an event may be stored, checked per event at ingest (C8: a withdrawal counts from the
 * next event on). While paused (R6) nothing new is stored: restriction keeps existing data but
 * collects none. A field of another category (e.g. `context.device`) is kept only if that
 * category is allowed at least as long as the event is kept.
 */
export function allowsEvent(state: ConsentState, compiled: CompiledPolicy, eventType: EventType): EventGate {
  const rule = compiled.events.get(eventType);
  const category = rule?.category ?? '';
  if (rule === undefined) return { allowed: false, category, reason: 'no_consent' };
  if (state.paused) return { allowed: false, category, reason: 'paused' };
  const granted = (purpose: string): boolean => own(state.purposes, purpose) === true;
  const storage = categoryStorage(compiled, category, granted);
  if (!storage.allowed) return { allowed: false, category, reason: 'no_consent' };
  const fields: string[] = [];
  for (const f of rule.fields) {
    if (f.category === category) {
      fields.push(f.field);
      continue;
    }
    const own = categoryStorage(compiled, f.category, granted);
    if (own.allowed && (storage.sessionOnly || !own.sessionOnly)) fields.push(f.field);
  }
  return {
    allowed: true,
    category,
    sessionOnly: storage.sessionOnly,
    retention: storage.retention,
    fields,
  };
}
