import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ConsentEventType,
  ConsentRecord,
  ConsentUpdateRequest,
  DpvState,
  EventBatchResponse,
  EventInput,
  NoticeRef,
  parseEventBatch,
  SubjectId,
} from '../src/index';

// The wire schemas, edge by edge, as mutation testing (docs/mutation.md) asked for: each value
// an enum must take, each default, each anchor of a pattern and each required field.

const messages = (r: z.ZodSafeParseResult<unknown>): string[] => r.error?.issues.map((i) => i.message) ?? [];

describe('consent change request', () => {
  const minimal = { level: 1, notice_version: 1 };

  it('D1: what is not said is not granted: no switches, German, method save, no GPC override', () => {
    expect(ConsentUpdateRequest.parse(minimal)).toEqual({
      level: 1,
      notice_version: 1,
      purposes: {},
      language: 'de',
      method: 'save',
      override_gpc: false,
    });
  });

  it('C10: the methods a customer can use are accept, reject, save and api', () => {
    for (const method of ['accept', 'reject', 'save', 'api']) {
      expect(ConsentUpdateRequest.parse({ ...minimal, method }).method).toBe(method);
    }
    expect(ConsentUpdateRequest.safeParse({ ...minimal, method: 'click' }).success).toBe(false);
  });

  it('O1: a client cannot claim method gpc; only a GPC signal the service sees records it', () => {
    const r = ConsentUpdateRequest.safeParse({ ...minimal, method: 'gpc' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['method']);
  });

  it('the level is 0 to 3, and a wrong one is refused saying what each level means', () => {
    for (const level of [0, 1, 2, 3])
      expect(ConsentUpdateRequest.parse({ ...minimal, level }).level).toBe(level);
    for (const level of [4, -1, 1.5, '1', null]) {
      const r = ConsentUpdateRequest.safeParse({ ...minimal, level });
      expect(messages(r)).toEqual([
        'level must be 0 (Neutral), 1 (this visit), 2 (my history) or 3 (predictions)',
      ]);
    }
  });

  it('the notice version is a positive whole number', () => {
    for (const notice_version of [0, -1, 1.5, '1']) {
      expect(ConsentUpdateRequest.safeParse({ ...minimal, notice_version }).success).toBe(false);
    }
  });

  it('switch names are 1 to 64 characters', () => {
    expect(ConsentUpdateRequest.safeParse({ ...minimal, purposes: { '': true } }).success).toBe(false);
    expect(ConsentUpdateRequest.safeParse({ ...minimal, purposes: { ['a'.repeat(65)]: true } }).success).toBe(
      false,
    );
    expect(ConsentUpdateRequest.safeParse({ ...minimal, purposes: { ['a'.repeat(64)]: true } }).success).toBe(
      true,
    );
  });
});

describe('consent records (C10, C12)', () => {
  const record = {
    id: 'cns_0123456789abcdef',
    subject_id: 'sub_a',
    notice: { id: 'personalisierung', version: 1, language: 'de', text_hash: 'a'.repeat(64) },
    event_type: 'consent_given',
    state: 'given',
    method: 'accept',
    level: 2,
    purposes: ['session_personalization'],
    withdrawn_purposes: [],
    data_categories: ['browsing'],
    retention: { browsing: 'session' },
    controller: { name: 'Shop GmbH', address: 'Weg 1, Berlin', email: 'datenschutz@shop.example' },
    recipients: [{ id: 'hosting', name: 'Hosting GmbH', country: 'DE' }],
    withdrawal_method: { text: 'Jederzeit in den Einstellungen', path: '/datenschutz' },
    event_time: '2026-11-23T10:00:00.000Z',
    valid_until: null,
    gpc: { signal: false, override: false, requested_level: null },
    purpose_scopes: { session_personalization: 'b'.repeat(64) },
  };

  it('C12: the states are the seven DPV terms, and nothing else', () => {
    for (const s of ['requested', 'given', 'refused', 'withdrawn', 'expired', 'invalidated', 'renewed']) {
      expect(DpvState.parse(s)).toBe(s);
    }
    for (const s of ['active', 'accepted', '']) expect(DpvState.safeParse(s).success).toBe(false);
  });

  it('C12: the event types are the seven consent events', () => {
    for (const t of [
      'consent_given',
      'consent_refused',
      'consent_withdrawn',
      'consent_renewed',
      'consent_invalidated',
      'consent_expired',
      'gpc_signal',
    ]) {
      expect(ConsentEventType.parse(t)).toBe(t);
    }
    expect(ConsentEventType.safeParse('consent_changed').success).toBe(false);
  });

  it('C10: a complete record parses as it is', () => {
    expect(ConsentRecord.parse(record)).toEqual(record);
  });

  it('C10: a record without any one of its fields is refused', () => {
    for (const key of Object.keys(record)) {
      const partial: Record<string, unknown> = { ...record };
      delete partial[key];
      expect(ConsentRecord.safeParse(partial).success, key).toBe(false);
    }
  });

  it('C10: the notice, controller, recipients, withdrawal method and GPC parts are complete too', () => {
    const nested: [string, string][] = [
      ['notice', 'text_hash'],
      ['notice', 'language'],
      ['controller', 'email'],
      ['controller', 'address'],
      ['withdrawal_method', 'path'],
      ['gpc', 'override'],
      ['gpc', 'requested_level'],
    ];
    for (const [part, key] of nested) {
      const copy = structuredClone(record) as unknown as Record<string, Record<string, unknown>>;
      delete copy[part]![key];
      expect(ConsentRecord.safeParse(copy).success, `${part}.${key}`).toBe(false);
    }
    const recipient = structuredClone(record);
    delete (recipient.recipients[0] as { country?: string }).country;
    expect(ConsentRecord.safeParse(recipient).success).toBe(false);
  });

  it('C10: record ids and text hashes match their whole pattern', () => {
    for (const id of ['xcns_abc', 'cns_abc!', 'cns_']) {
      expect(ConsentRecord.safeParse({ ...record, id }).success, id).toBe(false);
    }
    for (const text_hash of [`x${'a'.repeat(64)}`, `${'a'.repeat(64)}x`, 'A'.repeat(64)]) {
      expect(NoticeRef.safeParse({ ...record.notice, text_hash }).success).toBe(false);
    }
  });
});

describe('events', () => {
  const view = { type: 'view', subject_id: 'sub_a', session_id: 's1', item_id: 'sku-1' };
  const purchase = {
    type: 'purchase',
    subject_id: 'sub_a',
    session_id: 's1',
    order_id: 'o1',
    lines: [{ item_id: 'sku-1', quantity: 1, price: 9.5 }],
  };

  it('subject ids are sub_ ids, and a wrong one says what they look like', () => {
    expect(SubjectId.safeParse('sub_a-1_B').success).toBe(true);
    expect(messages(SubjectId.safeParse('kunde-7'))).toEqual([
      'subject id must look like sub_… (1–64 letters, digits, _ or - after the prefix)',
    ]);
  });

  it('a time may carry a UTC offset; anything else is refused with an example', () => {
    expect(EventInput.safeParse({ ...view, ts: '2026-11-23T11:00:00+01:00' }).success).toBe(true);
    expect(messages(EventInput.safeParse({ ...view, ts: 'gestern' }))).toEqual([
      'ts must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z',
    ]);
  });

  it('an event up to five minutes ahead of the clock is taken; more is refused', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const at = (min: number) => ({ events: [{ ...view, ts: new Date(now + min * 60_000).toISOString() }] });
    expect(parseEventBatch(at(4.9), now)).toHaveLength(1);
    expect(() => parseEventBatch(at(5.1), now)).toThrow(/ts lies in the future/);
  });

  it('the device is one of desktop, mobile, tablet or other', () => {
    for (const device of ['desktop', 'mobile', 'tablet', 'other']) {
      expect(EventInput.safeParse({ ...view, context: { device } }).success, device).toBe(true);
    }
    expect(EventInput.safeParse({ ...view, context: { device: 'tv' } }).success).toBe(false);
  });

  it('empty session ids and blank queries are refused, saying so', () => {
    expect(messages(EventInput.safeParse({ ...view, session_id: '' }))).toEqual([
      'session_id must not be empty',
    ]);
    expect(
      messages(EventInput.safeParse({ type: 'search', subject_id: 'sub_a', session_id: 's', query: '   ' })),
    ).toEqual(['query must not be empty']);
  });

  it('both cart event types are cart events, with quantity 1 unless sent', () => {
    for (const type of ['add_to_cart', 'remove_from_cart']) {
      expect(EventInput.parse({ ...view, type })).toMatchObject({ type, quantity: 1 });
    }
  });

  it('a purchase has one or more lines and a three-letter currency, EUR unless sent', () => {
    expect(EventInput.parse(purchase)).toMatchObject({ currency: 'EUR' });
    const two = { ...purchase, lines: [...purchase.lines, { item_id: 'sku-2', quantity: 2, price: 1 }] };
    expect(EventInput.safeParse(two).success).toBe(true);
    expect(messages(EventInput.safeParse({ ...purchase, lines: [] }))).toEqual([
      'a purchase needs at least one order line',
    ]);
    for (const currency of ['EURO', 'XEUR', 'eur', 'EU']) {
      expect(EventInput.safeParse({ ...purchase, currency }).success, currency).toBe(false);
    }
    expect(EventInput.parse({ ...purchase, currency: 'CHF' })).toMatchObject({ currency: 'CHF' });
  });

  it('the batch answer names each drop with one of the three reasons', () => {
    const answer = {
      accepted: 1,
      dropped: 3,
      dropped_reasons: { no_consent: 1, paused: 1, duplicate: 1 },
      drops: [
        { index: 0, reason: 'no_consent', category: 'browsing' },
        { index: 1, reason: 'paused', category: 'browsing' },
        { index: 2, reason: 'duplicate', category: 'cart' },
      ],
      removed_fields: {},
    };
    expect(EventBatchResponse.parse(answer)).toEqual(answer);
    expect(
      EventBatchResponse.safeParse({ ...answer, drops: [{ index: 0, reason: 'spam', category: 'x' }] })
        .success,
    ).toBe(false);
    expect(EventBatchResponse.safeParse({ ...answer, drops: [{ index: 0, reason: 'paused' }] }).success).toBe(
      false,
    );
    const { accepted: _, ...withoutAccepted } = answer;
    expect(EventBatchResponse.safeParse(withoutAccepted).success).toBe(false);
  });
});
