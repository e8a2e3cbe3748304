import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ConsentUpdateRequest,
  countNames,
  EVENT_ENVELOPE_FIELDS,
  EventBatchResponse,
  EventInput,
  ItemInput,
  issueCode,
  own,
  parseEventBatch,
  presentFields,
} from '../src/index';
import { at, HOSTILE_NAMES, hostileName, jsonValue, namesInjection, objectPaths, withKey } from './hostile';

const ITEM = {
  id: 'sku-1',
  title: 'Kissen Leinen',
  category_path: ['Wohnen', 'Kissen'],
  price: 29.9,
  currency: 'EUR',
  attributes: { farbe: 'natur', breite: 50, waschbar: true },
  available: true,
};

const context = { page: '/p/1', device: 'mobile', region: 'BY', referrer: 'https://example.org/' };
const envelope = { subject_id: 'sub_abc', session_id: 'ses_1', ts: '2026-11-23T10:00:00Z', context };
const EVENTS = [
  { ...envelope, id: 'e1', type: 'view', item_id: 'sku-1' },
  { ...envelope, type: 'search', query: 'kissen', results: ['sku-1'] },
  { ...envelope, type: 'add_to_cart', item_id: 'sku-1', quantity: 2 },
  {
    ...envelope,
    type: 'purchase',
    order_id: 'o-1',
    currency: 'EUR',
    lines: [{ item_id: 'sku-1', quantity: 1, price: 29.9 }],
  },
];

const CONSENT = { level: 2, notice_version: 1, language: 'de', purposes: { email_offers: true } };

/** Every object in a parsed value still has the ordinary prototype: no `__proto__` got through as a setter. */
function prototypesIntact(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(prototypesIntact);
  if (value === null || typeof value !== 'object') return true;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every(prototypesIntact);
}

/**
 * One injection: refused with an issue naming the key or its object; or, in a record whose keys
 * are data, kept as an ordinary key with its value (never silently dropped); or, in an object
 * with declared fields, dropped like any unknown field.
 */
function checkInjection(
  schema: z.ZodType,
  base: unknown,
  container: (string | number)[],
  name: string,
  value: unknown,
  isDataRecord: (container: (string | number)[]) => boolean = () => false,
): void {
  const payload = withKey(base, container, name, value);
  const r = schema.safeParse(payload);
  if (!r.success) {
    expect(r.error.issues.length).toBeGreaterThan(0);
    for (const issue of r.error.issues) {
      expect(typeof issue.message).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
    }
    expect(r.error.issues.some((i) => namesInjection(i.path, container, name))).toBe(true);
    return;
  }
  expect(prototypesIntact(r.data)).toBe(true);
  const expected = schema.parse(base) as Record<string, unknown>;
  if (isDataRecord(container)) {
    // Item attributes, consent purposes: the name is an ordinary key with the value sent.
    const kept = at(r.data, container) as Record<string, unknown>;
    expect(Object.hasOwn(kept, name)).toBe(true);
    // As JSON carries it: -0 is kept as 0 (attributes are stored as JSON text).
    expect(kept[name]).toEqual(JSON.parse(JSON.stringify(value)));
    const copy = structuredClone(r.data) as Record<string, unknown>;
    delete (at(copy, container) as Record<string, unknown>)[name];
    expect(copy).toEqual(expected);
  } else expect(r.data).toEqual(expected);
}

const injections = (base: unknown) =>
  fc.record({
    container: fc.constantFrom(...objectPaths(base)),
    name: hostileName,
    value: jsonValue,
  });

describe('inherited keys (#11): every Object.prototype name and __proto__ as a key, at every level', () => {
  it('items: each is refused naming the key or its object, or kept as an ordinary attribute', () => {
    const isAttributes = (c: (string | number)[]) => c.length === 1 && c[0] === 'attributes';
    fc.assert(
      fc.property(injections(ITEM), ({ container, name, value }) =>
        checkInjection(ItemInput, ITEM, container, name, value, isAttributes),
      ),
      { numRuns: 400 },
    );
  });

  it('events of every type: each is refused naming the key or its object, or dropped like any unknown field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS).chain((event) => fc.tuple(fc.constant(event), injections(event))),
        ([event, { container, name, value }]) => checkInjection(EventInput, event, container, name, value),
      ),
      { numRuns: 400 },
    );
  });

  it('consent changes: a key in `purposes` is refused at `purposes.<name>`; elsewhere it is dropped', () => {
    fc.assert(
      fc.property(injections(CONSENT), ({ container, name, value }) => {
        checkInjection(ConsentUpdateRequest, CONSENT, container, name, value, (c) => c[0] === 'purposes');
        if (container[0] === 'purposes') {
          const r = ConsentUpdateRequest.safeParse(withKey(CONSENT, container, name, value));
          expect(r.success).toBe(false);
          const issue = r.error!.issues.find((i) => i.path.join('.') === `purposes.${name}`);
          expect(issue && issueCode(issue)).toBe('reserved_key');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('removed_fields: a field named after an inherited member is counted as an integer, like any other', () => {
    const envelopeFields = new Set<string>(EVENT_ENVELOPE_FIELDS);
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.uniqueArray(hostileName, { minLength: 1 }),
        fc.constantFrom<string[]>([], ['context']),
        fc.integer({ min: 1, max: 3 }),
        (event, names, where, times) => {
          const raws = Array.from({ length: times }, () => {
            let raw = event as unknown;
            for (const name of names) raw = withKey(raw, where, name, 'x');
            return raw as Record<string, unknown>;
          });
          const counts = countNames([]);
          for (const raw of raws) {
            countNames(
              presentFields(raw).filter((f) => !envelopeFields.has(f) && f !== 'item_id'),
              counts,
            );
          }
          // What the server answers: JSON text, read back by a client.
          const answer = JSON.parse(JSON.stringify({ removed_fields: counts })) as {
            removed_fields: Record<string, unknown>;
          };
          for (const name of names) {
            const field = where.length === 0 ? name : `context.${name}`;
            expect(own(answer.removed_fields, field)).toBe(times);
          }
          for (const v of Object.values(answer.removed_fields)) expect(Number.isInteger(v)).toBe(true);
          const response = {
            accepted: times,
            dropped: 0,
            dropped_reasons: {},
            drops: [],
            removed_fields: counts,
          };
          expect(EventBatchResponse.safeParse(response).success).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the names tested are all of Object.prototype and __proto__', () => {
    expect(HOSTILE_NAMES).toEqual(expect.arrayContaining(['constructor', 'toString', 'hasOwnProperty']));
    expect(HOSTILE_NAMES).toContain('__proto__');
  });
});

describe('inherited keys (#11): the cases from the report', () => {
  it('{"purposes":{"__proto__":true}} in a consent change is refused with field purposes.__proto__', () => {
    const r = ConsentUpdateRequest.safeParse(
      JSON.parse('{"level":1,"notice_version":1,"purposes":{"__proto__":true}}'),
    );
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    const [issue] = r.error!.issues;
    expect(issue!.path).toEqual(['purposes', '__proto__']);
    expect(issueCode(issue!)).toBe('reserved_key');
    expect(issue!.message).toMatch(/"__proto__" is a built-in property name .*choose another name/);
  });

  it.each(HOSTILE_NAMES)('consent change: purposes.%s is refused, never looked up', (name) => {
    const body = JSON.parse(`{"level":1,"notice_version":1,"purposes":{${JSON.stringify(name)}:true}}`);
    const r = ConsentUpdateRequest.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['purposes', name]);
  });

  it('constructor and prototype fields in an event count as integers in removed_fields', () => {
    const raw = JSON.parse(
      '{"type":"view","subject_id":"sub_a","session_id":"s","item_id":"i","constructor":1,"prototype":2,"__proto__":3,"context":{"constructor":4}}',
    ) as Record<string, unknown>;
    expect(EventInput.safeParse(raw).success).toBe(true);
    const counts = countNames(presentFields(raw).filter((f) => f !== 'item_id' && f !== 'type'));
    expect(JSON.parse(JSON.stringify(counts))).toEqual(
      JSON.parse(
        '{"subject_id":1,"session_id":1,"constructor":1,"prototype":1,"__proto__":1,"context.constructor":1}',
      ),
    );
    countNames(['constructor'], counts);
    expect(own(counts, 'constructor')).toBe(2);
  });

  it('parseEventBatch lists constructor, prototype and __proto__ among the fields sent, own keys only', () => {
    const body = JSON.parse(
      '{"events":[{"type":"view","subject_id":"sub_a","session_id":"s","item_id":"i","constructor":1,"prototype":2,"__proto__":3}]}',
    );
    const [parsed] = parseEventBatch(body, Date.now());
    expect(parsed!.fields).toEqual([
      'type',
      'subject_id',
      'session_id',
      'item_id',
      'constructor',
      'prototype',
      '__proto__',
    ]);
    const inherited = Object.create({ inherited: 1 }) as Record<string, unknown>;
    Object.assign(inherited, { type: 'view', subject_id: 'sub_a', session_id: 's', item_id: 'i' });
    expect(parseEventBatch({ events: [inherited] }, Date.now())[0]!.fields).not.toContain('inherited');
  });

  it('an item attribute named __proto__ is refused at attributes.__proto__; constructor is kept as data', () => {
    const bad = ItemInput.safeParse(
      JSON.parse('{"id":"a","title":"t","price":1,"attributes":{"__proto__":"rot"}}'),
    );
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['attributes', '__proto__']);
    const good = ItemInput.parse(
      JSON.parse('{"id":"a","title":"t","price":1,"attributes":{"constructor":"rot","toString":2}}'),
    );
    expect(Object.keys(good.attributes)).toEqual(['constructor', 'toString']);
    expect(good.attributes.constructor).toBe('rot');
  });
});
