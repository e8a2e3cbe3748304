import type { EventType, Level } from '@vitrine/contracts';
import { EVENT_TYPES, own } from '@vitrine/contracts';
import { durationMs } from './duration';
import { purposeScopeHashes, scopeHash } from './hash';
import type { Policy } from './schema';

export interface CompiledPurpose {
  readonly categories: ReadonlySet<string>;
  readonly sessionOnly: boolean;
  readonly profiling: boolean;
  readonly marketing: boolean;
}

export interface CompiledEventRule {
  readonly category: string;
  /** Declared fields, each with the category it belongs to (the event's, unless mapped). */
  readonly fields: readonly { readonly field: string; readonly category: string }[];
}

/** Lookup tables built once per policy, for the per-event checks at ingest. */
export interface CompiledPolicy {
  readonly policy: Policy;
  readonly scopeHash: string;
  /** Per purpose, the hash of its scope (categories, retention, recipients, basis, flags). */
  readonly purposeScopes: ReadonlyMap<string, string>;
  readonly purposes: ReadonlyMap<string, CompiledPurpose>;
  /** Purposes of each level 0–3 (nested). */
  readonly levels: readonly ReadonlySet<string>[];
  readonly switches: ReadonlySet<string>;
  /** Per category, the purposes that read it. */
  readonly readers: ReadonlyMap<string, readonly string[]>;
  /** Per category, its retention as an ISO 8601 duration (counted on the calendar, see `addDuration`), or 'session'. */
  readonly retention: ReadonlyMap<string, string>;
  readonly events: ReadonlyMap<EventType, CompiledEventRule>;
  readonly sessionTimeoutMs: number;
  /** How long a consent holds, an ISO 8601 duration (`addDuration(now, consentValidity)`). */
  readonly consentValidity: string;
}

/** A duration the schema has already validated. */
function valid(duration: string): string {
  if (durationMs(duration) === undefined) throw new TypeError(`not a validated duration: ${duration}`);
  return duration;
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  const purposes = new Map<string, CompiledPurpose>();
  const readers = new Map<string, string[]>();
  for (const id of Object.keys(policy.categories)) readers.set(id, []);
  for (const [id, p] of Object.entries(policy.purposes)) {
    purposes.set(id, {
      categories: new Set(p.categories),
      sessionOnly: p.session_only,
      profiling: p.profiling,
      marketing: p.marketing,
    });
    for (const c of new Set(p.categories)) readers.get(c)?.push(id);
  }
  const retention = new Map<string, string>();
  for (const [id, c] of Object.entries(policy.categories)) {
    retention.set(id, c.retention === 'session' ? 'session' : valid(c.retention));
  }
  const events = new Map<EventType, CompiledEventRule>();
  for (const type of EVENT_TYPES) {
    const rule = policy.events[type];
    events.set(type, {
      category: rule.category,
      fields: rule.fields.map((field) => ({
        field,
        category: own(rule.field_categories, field) ?? rule.category,
      })),
    });
  }
  return {
    policy,
    scopeHash: scopeHash(policy),
    purposeScopes: purposeScopeHashes(policy),
    purposes,
    levels: policy.levels.map((l) => new Set(l.purposes)),
    switches: new Set(policy.switches),
    readers,
    retention,
    events,
    sessionTimeoutMs: policy.session_timeout_minutes * 60_000,
    consentValidity: valid(policy.consent.validity),
  };
}

const NONE: ReadonlySet<string> = new Set();

export function levelPurposes(compiled: CompiledPolicy, level: Level): ReadonlySet<string> {
  return compiled.levels[level] ?? NONE;
}

/**
 * The purposes a choice grants: the level's bundle plus the switches turned on. Switch ids the
 * policy does not offer are ignored (never granted); @vitrine/consent rejects them earlier.
 */
export function effectivePurposes(
  compiled: CompiledPolicy,
  level: Level,
  switches: Readonly<Record<string, boolean>>,
): Set<string> {
  const out = new Set(levelPurposes(compiled, level));
  for (const [id, on] of Object.entries(switches)) if (on && compiled.switches.has(id)) out.add(id);
  return out;
}

/** The categories the given purposes may read. */
export function categoriesFor(compiled: CompiledPolicy, purposes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of purposes) for (const c of compiled.purposes.get(id)?.categories ?? NONE) out.add(c);
  return out;
}

export type CategoryStorage =
  | { readonly allowed: false }
  | { readonly allowed: true; readonly sessionOnly: true; readonly retention: null }
  /** Kept until `addDuration(ts, retention)`. */
  | { readonly allowed: true; readonly sessionOnly: false; readonly retention: string };

const DENIED: CategoryStorage = { allowed: false };
const SESSION: CategoryStorage = { allowed: true, sessionOnly: true, retention: null };

/**
 * Whether data of a category may be kept under the granted purposes, and how long: only for
 * the session when every granting purpose is session-only (or the category's retention is
 * 'session'); otherwise until `addDuration(ts, retention)`.
 */
export function categoryStorage(
  compiled: CompiledPolicy,
  category: string,
  granted: (purpose: string) => boolean,
): CategoryStorage {
  let allowed = false;
  let retained = false;
  for (const id of compiled.readers.get(category) ?? []) {
    if (!granted(id)) continue;
    allowed = true;
    if (compiled.purposes.get(id)?.sessionOnly === false) retained = true;
  }
  if (!allowed) return DENIED;
  const retention = compiled.retention.get(category);
  if (!retained || retention === undefined || retention === 'session') return SESSION;
  return { allowed: true, sessionOnly: false, retention };
}
