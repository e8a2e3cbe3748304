import { addDuration, type CompiledPolicy, sha256Hex } from '@vitrine/policy';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  allowedCategories,
  allowsEvent,
  applyGpc,
  ConsentRecord,
  type ConsentState,
  decide,
  effectiveState,
  expire,
  initialState,
  isConsentError,
  noticeVersionFor,
  type PublishedNotice,
  publishNotice,
  setPaused,
  withdrawPurposes,
} from '../src/index';
import { changedPolicy, defaults, request, SUBJECT, T0 } from './fixtures';

const DAY = 86_400_000;
let compiled: CompiledPolicy;
let notice1: PublishedNotice;
let base: { compiled: CompiledPolicy; notice: PublishedNotice; subjectId: string; now: number; gpc: boolean };
beforeEach(() => {
  ({ compiled, notice1 } = defaults());
  base = { compiled, notice: notice1, subjectId: SUBJECT, now: T0, gpc: false };
});

function errorCode(fn: () => unknown): { code: string; field: string } {
  try {
    fn();
  } catch (e) {
    if (isConsentError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a ConsentError');
}

describe('consent state', () => {
  it('D1: new subjects start at level 0', () => {
    const s = initialState(SUBJECT);
    expect(s).toMatchObject({ level: 0, noticeVersion: 0, dpvState: 'requested', gpc: false, paused: false });
    expect(allowedCategories(s, compiled).size).toBe(0);
    expect(allowsEvent(s, compiled, 'view')).toEqual({
      allowed: false,
      category: 'browsing',
      reason: 'no_consent',
    });
  });

  it('C10: a consent record has every field ISO/IEC TS 27560 asks for', () => {
    const { record, state } = decide({
      ...base,
      request: request({ level: 2, method: 'accept' }),
      recordId: 'cns_abc',
    });
    expect(() => ConsentRecord.parse(record)).not.toThrow();
    expect(record).toMatchObject({
      id: 'cns_abc',
      subject_id: SUBJECT,
      notice: { id: 'personalisierung', version: 1, language: 'de', text_hash: sha256Hex(notice1.text) },
      purposes: ['aggregate_models', 'history_personalization', 'session_personalization'],
      data_categories: ['browsing', 'cart', 'device_context', 'purchases', 'searches'],
      retention: {
        browsing: 'P12M',
        cart: 'P12M',
        purchases: 'P12M',
        searches: 'session',
        device_context: 'session',
      },
      controller: { name: compiled.policy.controller.name },
      recipients: [{ id: 'hosting', name: 'Beispiel Hosting GmbH', country: 'DE' }],
      withdrawal_method: { path: '/datenschutz/personalisierung', text: compiled.policy.withdrawal.text.de },
      event_time: '2026-11-23T10:00:00.000Z',
      valid_until: new Date(addDuration(T0, 'P12M')).toISOString(),
      event_type: 'consent_given',
      state: 'given',
      method: 'accept',
      level: 2,
    });
    expect(state.validUntil).toBe(addDuration(T0, 'P12M'));
    expect(decide({ ...base, request: request() }).record.id).toMatch(/^cns_[a-z0-9]{16}$/);
  });

  it('C10: the record in English carries the English withdrawal text and the English text hash', () => {
    const en = publishNotice(compiled, 1, 'en');
    const { record } = decide({ ...base, notice: en, request: request({ language: 'en' }) });
    expect(record.notice.text_hash).toBe(sha256Hex(en.text));
    expect(record.withdrawal_method.text).toBe(compiled.policy.withdrawal.text.en);
  });

  it('rejects a stale notice, an unknown switch and a purpose outside the level', () => {
    expect(errorCode(() => decide({ ...base, request: request({ notice_version: 2 }) }))).toEqual({
      code: 'stale_notice',
      field: 'notice_version',
    });
    expect(
      errorCode(() => decide({ ...base, request: request({ purposes: { newsletter: true } }) })),
    ).toEqual({
      code: 'unknown_purpose',
      field: 'purposes.newsletter',
    });
    expect(
      errorCode(() => decide({ ...base, request: request({ level: 1, purposes: { predictions: true } }) })),
    ).toEqual({ code: 'purpose_not_in_level', field: 'purposes.predictions' });
    expect(errorCode(() => decide({ ...base, request: request({ language: 'en' }) })).code).toBe(
      'notice_language',
    );
  });

  it('a purpose of the chosen level can be turned off on its own (C5)', () => {
    const { state } = decide({
      ...base,
      request: request({ level: 2, purposes: { aggregate_models: false } }),
    });
    expect(state.purposes).toMatchObject({ history_personalization: true, aggregate_models: false });
  });

  it('C12: DPV states over a sequence of changes', () => {
    const states: string[] = [];
    const events: string[] = [];
    let state: ConsentState | undefined;
    let now = T0;
    const step = (over: Parameters<typeof request>[0], notice = notice1, c = compiled) => {
      const d = decide({ ...base, compiled: c, notice, previous: state, now, request: request(over) });
      state = d.state;
      states.push(d.record.state);
      events.push(d.record.event_type);
      now += DAY;
    };
    step({ level: 0, method: 'reject' });
    step({ level: 2, method: 'save' });
    step({ level: 1 });
    step({ level: 0 });
    step({ level: 3, method: 'accept' });

    // The policy changes the scope of predictions: version 2; predictions is invalidated.
    const v2 = changedPolicy((j) => {
      j.categories.predictions!.retention = 'P12M';
    });
    const { version } = noticeVersionFor({ version: 1, scopeHash: compiled.scopeHash }, v2);
    const notice2 = publishNotice(v2, version, 'de');
    const eff = effectiveState(state!, notice2, v2, now);
    states.push(eff.state.dpvState);
    step({ level: 3, notice_version: 2 }, notice2, v2);

    const expired = expire({
      compiled: v2,
      notice: notice2,
      subjectId: SUBJECT,
      previous: state,
      now: now + 400 * DAY,
    });
    states.push(expired!.record.state);
    events.push(expired!.record.event_type);

    expect(states).toEqual([
      'refused',
      'given',
      'given',
      'withdrawn',
      'given',
      'invalidated',
      'renewed',
      'expired',
    ]);
    expect(events).toEqual([
      'consent_refused',
      'consent_given',
      'consent_withdrawn',
      'consent_withdrawn',
      'consent_given',
      'consent_renewed',
      'consent_expired',
    ]);
  });

  it('C12: a partial withdrawal names the withdrawn purposes', () => {
    const first = decide({ ...base, request: request({ level: 3, purposes: { email_offers: true } }) });
    const second = decide({ ...base, previous: first.state, request: request({ level: 1 }) });
    expect(second.record.withdrawn_purposes).toEqual([
      'aggregate_models',
      'email_offers',
      'history_personalization',
      'predictions',
    ]);
    expect(second.record.state).toBe('given');
  });

  it('C8: withdrawal takes effect at once', () => {
    const given = decide({ ...base, request: request({ level: 2 }) });
    expect(allowsEvent(given.state, compiled, 'purchase').allowed).toBe(true);
    const withdrawn = decide({ ...base, previous: given.state, request: request({ level: 0 }) });
    for (const type of ['view', 'search', 'add_to_cart', 'remove_from_cart', 'purchase'] as const) {
      expect(allowsEvent(withdrawn.state, compiled, type)).toMatchObject({
        allowed: false,
        reason: 'no_consent',
      });
    }
    expect(allowedCategories(withdrawn.state, compiled).size).toBe(0);
    expect(withdrawn.state.validUntil).toBeNull();
  });

  it('C11: a scope change bumps the notice version; changed parts count as not consented', () => {
    const given = decide({ ...base, request: request({ level: 3 }) }).state;
    const v2 = changedPolicy((j) => {
      j.purposes.history_personalization!.categories.push('searches');
    });
    expect(noticeVersionFor(undefined, compiled)).toEqual({ version: 1, scopeChanged: false });
    expect(noticeVersionFor({ version: 1, scopeHash: compiled.scopeHash }, compiled)).toEqual({
      version: 1,
      scopeChanged: false,
    });
    const next = noticeVersionFor({ version: 1, scopeHash: compiled.scopeHash }, v2);
    expect(next).toEqual({ version: 2, scopeChanged: true });

    const eff = effectiveState(given, { version: 2 }, v2, T0);
    expect(eff.needsReconsent).toBe(true);
    expect(eff.invalidated).toEqual(['history_personalization']);
    expect(eff.state.purposes).toMatchObject({
      session_personalization: true,
      history_personalization: false,
      predictions: true,
    });
    // Searches are still read only by the session purpose, so they stay session-only.
    expect(allowsEvent(eff.state, v2, 'search')).toMatchObject({ allowed: true, sessionOnly: true });
  });

  it('C11: a purpose new in the subject’s level is not consented and asks again', () => {
    const given = decide({ ...base, request: request({ level: 2 }) }).state;
    const v2 = changedPolicy((j) => {
      j.purposes.recently_viewed = { ...j.purposes.history_personalization!, categories: ['browsing'] };
      for (const level of j.levels.slice(2)) level.purposes.push('recently_viewed');
    });
    const eff = effectiveState(given, { version: 2 }, v2, T0);
    expect(eff.needsReconsent).toBe(true);
    expect(eff.invalidated).toEqual([]);
    expect(eff.state.purposes.recently_viewed).toBeUndefined();
  });

  it('C11: fixing a text bumps the version for an exact stored text, but asks nobody again', () => {
    const given = decide({ ...base, request: request({ level: 3 }) }).state;
    const v2 = changedPolicy((j) => {
      j.purposes.predictions!.label.de = 'Vorhersagen für Sie';
    });
    const previous = { version: 1, scopeHash: compiled.scopeHash, textHashes: { de: notice1.text_hash } };
    expect(noticeVersionFor(previous, v2)).toEqual({ version: 2, scopeChanged: false });
    expect(noticeVersionFor(previous, compiled)).toEqual({ version: 1, scopeChanged: false });
    expect(effectiveState(given, { version: 2 }, v2, T0)).toEqual({
      state: given,
      needsReconsent: false,
      invalidated: [],
    });
  });

  it('O1: Sec-GPC caps the level at 1 and is recorded with method gpc', () => {
    const { state, record } = decide({
      ...base,
      gpc: true,
      request: request({ level: 3, method: 'accept' }),
    });
    expect(state.level).toBe(1);
    expect(state.gpc).toBe(true);
    expect(record.method).toBe('gpc');
    expect(record.gpc).toEqual({ signal: true, override: false, requested_level: 3 });
    expect(record.purposes).toEqual(['session_personalization']);
  });

  it('O1: an explicit choice after seeing the conflict overrides GPC, and the record says so', () => {
    const capped = decide({ ...base, gpc: true, request: request({ level: 3 }) }).state;
    // The signal is sticky: a later request without the header still needs the override.
    const again = decide({ ...base, previous: capped, request: request({ level: 3 }) });
    expect(again.state.level).toBe(1);
    const { state, record } = decide({
      ...base,
      previous: capped,
      request: request({ level: 3, method: 'save', override_gpc: true }),
    });
    expect(state.level).toBe(3);
    expect(record.method).toBe('save');
    expect(record.gpc).toEqual({ signal: true, override: true, requested_level: 3 });
  });

  it('O1: a GPC signal without a choice caps an existing consent once, with method gpc', () => {
    const given = decide({
      ...base,
      request: request({ level: 3, purposes: { email_offers: true, offers_near_me: true } }),
    });
    const signal = applyGpc({
      compiled,
      notice: notice1,
      subjectId: SUBJECT,
      previous: given.state,
      now: T0,
    });
    expect(signal!.state.level).toBe(1);
    expect(signal!.record).toMatchObject({ method: 'gpc', event_type: 'gpc_signal', state: 'given' });
    // Profiling marketing is off; non-profiling offers near me stays.
    expect(signal!.record.purposes).toEqual(['offers_near_me', 'session_personalization']);
    expect(
      applyGpc({ compiled, notice: notice1, subjectId: SUBJECT, previous: signal!.state, now: T0 }),
    ).toBeNull();

    const fresh = applyGpc({ compiled, notice: notice1, subjectId: SUBJECT, now: T0 });
    expect(fresh!.record).toMatchObject({ method: 'gpc', state: 'requested', level: 0, purposes: [] });
    expect(fresh!.state.noticeVersion).toBe(0);
  });

  it('O3: a marketing purpose is on only through its own switch, never through a level', () => {
    const marketing = [...compiled.purposes].filter(([, p]) => p.marketing).map(([id]) => id);
    expect(marketing.sort()).toEqual(['email_offers', 'offers_near_me']);
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3),
        fc.dictionary(fc.constantFrom(...marketing), fc.boolean()),
        fc.constantFrom('accept', 'save', 'api'),
        (level, switches, method) => {
          const { state } = decide({
            ...base,
            request: request({ level: level as 0 | 1 | 2 | 3, purposes: switches, method: method as 'save' }),
          });
          for (const id of marketing) expect(state.purposes[id]).toBe(switches[id] === true);
        },
      ),
    );
  });

  it('O3: an objection withdraws exactly the objected purposes, keeps level, notice and expiry', () => {
    const given = decide({ ...base, request: request({ level: 3, purposes: { email_offers: true } }) });
    const later = T0 + 10 * DAY;
    const profiling = new Set([...compiled.purposes].filter(([, p]) => p.profiling).map(([id]) => id));
    const d = withdrawPurposes({ ...base, now: later, previous: given.state }, profiling)!;
    expect(d.record).toMatchObject({
      event_type: 'consent_withdrawn',
      method: 'api',
      withdrawn_purposes: ['email_offers', 'history_personalization', 'predictions'],
      purposes: ['aggregate_models', 'session_personalization'],
    });
    expect(d.state.level).toBe(3);
    expect(d.state.noticeVersion).toBe(given.state.noticeVersion);
    expect(d.state.validUntil).toBe(given.state.validUntil);
    // Nothing of it granted any more: nothing to record.
    expect(withdrawPurposes({ ...base, now: later, previous: d.state }, profiling)).toBeNull();
    // Withdrawing the last purposes is a full withdrawal.
    const all = new Set(compiled.purposes.keys());
    expect(withdrawPurposes({ ...base, now: later, previous: d.state }, all)!.state).toMatchObject({
      dpvState: 'withdrawn',
      validUntil: null,
    });
  });

  it('R6: while paused, no events are stored and nothing is personalised', () => {
    const given = decide({ ...base, request: request({ level: 2 }) }).state;
    const paused = setPaused(given, true);
    expect(allowsEvent(paused, compiled, 'view')).toEqual({
      allowed: false,
      category: 'browsing',
      reason: 'paused',
    });
    expect(allowedCategories(paused, compiled).size).toBe(0);
    expect(decide({ ...base, previous: paused, request: request({ level: 3 }) }).state.paused).toBe(true);
    expect(allowsEvent(setPaused(paused, false), compiled, 'view').allowed).toBe(true);
  });
});

describe('event gate', () => {
  const at = (level: 0 | 1 | 2 | 3, purposes: Record<string, boolean> = {}) =>
    decide({ ...base, request: request({ level, purposes }) }).state;

  it('level 1 keeps events for the session only, with device context', () => {
    expect(allowsEvent(at(1), compiled, 'view')).toEqual({
      allowed: true,
      category: 'browsing',
      sessionOnly: true,
      retention: null,
      fields: ['item_id', 'context.device', 'context.region'],
    });
    expect(allowsEvent(at(1), compiled, 'purchase').allowed).toBe(false);
  });

  it('level 2 retains views, but not session-only device context; searches stay session-only', () => {
    expect(allowsEvent(at(2), compiled, 'view')).toEqual({
      allowed: true,
      category: 'browsing',
      sessionOnly: false,
      retention: 'P12M',
      fields: ['item_id'],
    });
    expect(allowsEvent(at(3), compiled, 'search')).toMatchObject({
      sessionOnly: true,
      fields: expect.arrayContaining(['query']),
    });
    expect(allowsEvent(at(2), compiled, 'purchase')).toMatchObject({
      allowed: true,
      fields: ['order_id', 'currency', 'lines'],
    });
  });

  it('an event is allowed exactly when its category is allowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('view', 'search', 'add_to_cart', 'remove_from_cart', 'purchase'),
        (level, email, near, type) => {
          const state = at(level as 0, { email_offers: email, offers_near_me: near });
          const gate = allowsEvent(state, compiled, type as 'view');
          expect(gate.allowed).toBe(allowedCategories(state, compiled).has(gate.category));
        },
      ),
    );
  });
});
