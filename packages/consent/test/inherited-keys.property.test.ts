import { ConsentUpdateRequest, EVENT_TYPES } from '@vitrine/contracts';
import type { CompiledPolicy } from '@vitrine/policy';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  allowedCategories,
  allowsEvent,
  ConsentRecord,
  ConsentState,
  decide,
  effectiveState,
  grantedPurposes,
  isConsentError,
  type PublishedNotice,
} from '../src/index';
import { defaults, request, SUBJECT, T0 } from './fixtures';

/** Every name a plain object inherits, and `__proto__` (which JSON.parse makes an own key). */
const HOSTILE = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];
let compiled: CompiledPolicy;
let base: { compiled: CompiledPolicy; notice: PublishedNotice; subjectId: string; now: number; gpc: boolean };
let declared: ReadonlySet<string>;
beforeEach(() => {
  const d = defaults();
  compiled = d.compiled;
  base = { compiled, notice: d.notice1, subjectId: SUBJECT, now: T0, gpc: false };
  declared = new Set(compiled.purposes.keys());
});

/** A JSON object with `name` as an own key, as JSON.parse makes it (even `__proto__`). */
function withOwn<T extends object>(obj: T, name: string, value: unknown): T {
  const copy = JSON.parse(JSON.stringify(obj)) as T;
  Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return JSON.parse(JSON.stringify(copy)) as T;
}

const body = fc.record({
  level: fc.constantFrom(0, 1, 2, 3),
  notice_version: fc.constant(1),
  language: fc.constant('de'),
  purposes: fc.dictionary(fc.constantFrom('email_offers', 'offers_near_me', 'predictions'), fc.boolean()),
  override_gpc: fc.boolean(),
});

describe('inherited keys (#11): consent changes with an Object.prototype name or __proto__ as a key', () => {
  it('are refused naming the field, or decided on declared purposes only (never a TypeError)', () => {
    fc.assert(
      fc.property(
        body,
        fc.constantFrom('', 'purposes'),
        fc.constantFrom(...HOSTILE),
        fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        (b, where, name, value) => {
          const raw =
            where === '' ? withOwn(b, name, value) : { ...b, purposes: withOwn(b.purposes, name, value) };
          const parsed = ConsentUpdateRequest.safeParse(raw);
          if (!parsed.success) {
            expect(where).toBe('purposes');
            expect(parsed.error.issues.some((i) => i.path.join('.') === `purposes.${name}`)).toBe(true);
            return;
          }
          expect(where).toBe('');
          let d: ReturnType<typeof decide>;
          try {
            d = decide({ ...base, request: parsed.data });
          } catch (e) {
            // Refused for an ordinary reason (a purpose not in the level), naming the field.
            expect(isConsentError(e)).toBe(true);
            expect((e as { field: string }).field).toMatch(
              /^purposes\.(email_offers|offers_near_me|predictions)$/,
            );
            return;
          }
          for (const id of Object.keys(d.state.purposes)) expect(declared.has(id)).toBe(true);
          for (const id of Object.keys(d.state.purposeScopes)) expect(declared.has(id)).toBe(true);
          expect(ConsentRecord.safeParse(JSON.parse(JSON.stringify(d.record))).success).toBe(true);
          expect(Object.getPrototypeOf(d.state.purposes)).toBe(Object.prototype);
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each(HOSTILE)('decide refuses purposes.%s handed in past the contract as an unknown purpose', (name) => {
    const purposes = withOwn({}, name, true) as Record<string, boolean>;
    let error: unknown;
    try {
      decide({ ...base, request: request({ level: 1, purposes }) });
    } catch (e) {
      error = e;
    }
    expect(isConsentError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unknown_purpose', field: `purposes.${name}` });
  });

  it('a stored state with inherited names as purposes grants nothing by them, and nothing throws', () => {
    for (const name of HOSTILE) {
      const stored = ConsentState.parse({
        subjectId: SUBJECT,
        level: 0,
        purposes: {},
        noticeVersion: 1,
        gpc: false,
        paused: false,
        dpvState: 'given',
        validUntil: null,
        purposeScopes: {},
      });
      // As a store's JSON.parse would read it back, hostile keys included.
      const state: ConsentState = {
        ...stored,
        purposes: withOwn({}, name, true),
        purposeScopes: withOwn({}, name, 'x'),
      };
      expect(grantedPurposes(state)).toEqual([name]);
      expect(allowedCategories(state, compiled).size).toBe(0);
      for (const type of EVENT_TYPES) expect(allowsEvent(state, compiled, type).allowed).toBe(false);
      expect(() => effectiveState(state, { version: 2 }, compiled, T0)).not.toThrow();
      expect(effectiveState(state, { version: 2 }, compiled, T0).invalidated).toEqual([name]);
    }
  });

  it('an error with a code named after an inherited member is not taken for a ConsentError', () => {
    for (const code of HOSTILE) {
      expect(isConsentError({ name: 'ConsentError', code, field: 'x', message: 'm' })).toBe(false);
    }
  });
});
