import { createHash } from 'node:crypto';
import { own } from '@vitrine/contracts';
import type { Policy } from './schema';

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** JSON with object keys sorted at every depth: equal content gives equal text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as { readonly [key: string]: Json };
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const sorted = (ids: readonly string[]): string[] => [...new Set(ids)].sort();

/**
 * The scope of one purpose: what it does with which data, kept how long, shared with whom.
 * Texts are left out, so fixing a typo in a label does not ask customers again.
 */
function purposeScope(policy: Policy, id: string): Json {
  const purpose = own(policy.purposes, id);
  if (purpose === undefined) return null;
  return {
    legal_basis: purpose.legal_basis.type,
    session_only: purpose.session_only,
    profiling: purpose.profiling,
    marketing: purpose.marketing,
    categories: sorted(purpose.categories).map((c) => {
      const cat = own(policy.categories, c);
      return { id: c, kind: cat?.kind ?? null, retention: cat?.retention ?? null };
    }),
    recipients: sorted(purpose.recipients).map((r) => {
      const rec = own(policy.recipients, r);
      return { id: r, name: rec?.name ?? null, country: rec?.country ?? null };
    }),
  };
}

/** Per purpose, a SHA-256 of its scope; a changed hash means that purpose needs consent again (C11). */
export function purposeScopeHashes(policy: Policy): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of Object.keys(policy.purposes))
    out.set(id, sha256Hex(canonicalJson(purposeScope(policy, id))));
  return out;
}

/**
 * SHA-256 over a canonical serialisation of the purposes, categories and recipients (not their
 * texts). A change bumps the notice version (C11).
 */
export function scopeHash(policy: Policy): string {
  const purposes: Record<string, Json> = {};
  for (const id of Object.keys(policy.purposes)) purposes[id] = purposeScope(policy, id);
  const categories: Record<string, Json> = {};
  for (const [id, c] of Object.entries(policy.categories))
    categories[id] = { kind: c.kind, retention: c.retention };
  const recipients: Record<string, Json> = {};
  for (const [id, r] of Object.entries(policy.recipients))
    recipients[id] = { name: r.name, country: r.country };
  return sha256Hex(canonicalJson({ purposes, categories, recipients }));
}
