import { addDuration, type CompiledPolicy } from '@vitrine/policy';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  allowsEvent,
  applyGpc,
  ConsentError,
  ConsentState,
  decide,
  effectiveState,
  expire,
  isConsentError,
  type PublishedNotice,
  setPaused,
} from '../src/index';
import { changedPolicy, defaults, request, SUBJECT, T0 } from './fixtures';

// Decisions found unproven by mutation testing (docs/mutation.md): each test fails when the
// branch it names is changed.

const DAY = 86_400_000;
let compiled: CompiledPolicy;
let notice1: PublishedNotice;
let base: { compiled: CompiledPolicy; notice: PublishedNotice; subjectId: string; now: number; gpc: boolean };
beforeEach(() => {
  ({ compiled, notice1 } = defaults());
  base = { compiled, notice: notice1, subjectId: SUBJECT, now: T0, gpc: false };
});

const given = (over: Parameters<typeof request>[0], previous?: ConsentState, now = T0) =>
  decide({ ...base, previous, now, request: request(over) });

function thrown(fn: () => unknown): ConsentError {
  try {
    fn();
  } catch (e) {
    if (isConsentError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConsentError');
}

describe('event types of a change (C12)', () => {
  it('C12: a change that adds one purpose and takes others is consent_given, naming what was withdrawn', () => {
    const first = given({ level: 2 });
    const second = given({ level: 1, purposes: { email_offers: true } }, first.state);
    expect(second.record).toMatchObject({
      event_type: 'consent_given',
      state: 'given',
      purposes: ['email_offers', 'session_personalization'],
      withdrawn_purposes: ['aggregate_models', 'history_personalization'],
    });
  });

  it('C12: confirming the same choice again is consent_given, with nothing withdrawn', () => {
    const first = given({ level: 2 });
    const again = given({ level: 2 }, first.state, T0 + DAY);
    expect(again.record).toMatchObject({
      event_type: 'consent_given',
      state: 'given',
      withdrawn_purposes: [],
    });
    // Confirming renews the validity from now.
    expect(again.state.validUntil).toBe(addDuration(T0 + DAY, compiled.consentValidity));
  });

  it('C12: taking a purpose back without adding one is consent_withdrawn while the rest stays given', () => {
    const first = given({ level: 3 });
    const second = given({ level: 2 }, first.state);
    expect(second.record).toMatchObject({
      event_type: 'consent_withdrawn',
      state: 'given',
      withdrawn_purposes: ['predictions'],
    });
  });
});

describe('refusals name the field and say what was wrong', () => {
  it('each refusal has its field, its message and its API error code', () => {
    const stale = thrown(() => given({ notice_version: 3 }));
    expect([stale.field, stale.message, stale.errorCode]).toEqual([
      'notice_version',
      'the choice was made on notice version 3, but version 1 is current',
      'conflict',
    ]);
    const language = thrown(() => given({ language: 'en' }));
    expect([language.field, language.message, language.errorCode]).toEqual([
      'language',
      'the notice given is in de, not en',
      'bad_request',
    ]);
    const unknown = thrown(() => given({ purposes: { newsletter: true } }));
    expect([unknown.message, unknown.errorCode]).toEqual([
      '"newsletter" is not a declared purpose',
      'validation_failed',
    ]);
    const outside = thrown(() => given({ level: 2, purposes: { predictions: true } }));
    expect([outside.message, outside.errorCode]).toEqual([
      '"predictions" is neither a switch nor part of level 2; choose a level that includes it',
      'validation_failed',
    ]);
    // Turning a purpose off that the level does not include is no error: nothing is granted.
    expect(given({ level: 1, purposes: { predictions: false } }).record.purposes).toEqual([
      'session_personalization',
    ]);
  });

  it('isConsentError recognises a ConsentError by name and known code only', () => {
    expect(isConsentError(new ConsentError('stale_notice', 'notice_version', 'm'))).toBe(true);
    expect(isConsentError({ name: 'ConsentError', code: 'unknown_purpose', field: 'x' })).toBe(true);
    for (const other of [
      null,
      undefined,
      'ConsentError',
      42,
      { name: 'PolicyError', code: 'stale_notice' },
      { name: 'ConsentError', code: 7 },
      { name: 'ConsentError' },
      { name: 'ConsentError', code: 'teapot' },
      new Error('stale_notice'),
    ]) {
      expect(isConsentError(other), JSON.stringify(other)).toBe(false);
    }
  });
});

describe('GPC (O1)', () => {
  it('O1: with GPC, a profiling switch stays off even at level 1, and the record says gpc', () => {
    const { state, record } = decide({
      ...base,
      gpc: true,
      request: request({
        level: 1,
        method: 'accept',
        purposes: { email_offers: true, offers_near_me: true },
      }),
    });
    expect(state.purposes).toMatchObject({ email_offers: false, offers_near_me: true });
    expect(record.purposes).toEqual(['offers_near_me', 'session_personalization']);
    expect(record.method).toBe('gpc');
    expect(record.gpc).toEqual({ signal: true, override: false, requested_level: 1 });
  });

  it('O1: with GPC, a choice of level 0 stays level 0 and is a refusal with the method chosen', () => {
    const { state, record } = decide({
      ...base,
      gpc: true,
      request: request({ level: 0, method: 'reject' }),
    });
    expect(state.level).toBe(0);
    expect(record).toMatchObject({
      state: 'refused',
      event_type: 'consent_refused',
      method: 'reject',
      level: 0,
    });
    expect(record.valid_until).toBeNull();
    expect(state.validUntil).toBeNull();
  });

  it('O1: a GPC signal that takes away everything granted is recorded as a withdrawal', () => {
    const first = given({
      level: 3,
      purposes: { session_personalization: false, history_personalization: false, aggregate_models: false },
    });
    expect(first.record.purposes).toEqual(['predictions']);
    const signal = applyGpc({ ...base, previous: first.state });
    expect(signal!.record).toMatchObject({
      event_type: 'gpc_signal',
      method: 'gpc',
      state: 'withdrawn',
      level: 1,
      purposes: [],
      withdrawn_purposes: ['predictions'],
      gpc: { signal: true, override: false, requested_level: null },
    });
    expect(signal!.state.validUntil).toBeNull();
  });

  it('O1: a GPC signal that changes a renewed consent makes it given, not renewed', () => {
    const v1 = given({ level: 3 });
    const v2 = changedPolicy((j) => {
      j.categories.predictions!.retention = 'P12M';
    });
    const notice2 = { ...notice1, version: 2 };
    const renewed = decide({
      ...base,
      compiled: v2,
      notice: notice2,
      previous: v1.state,
      request: request({ level: 3, notice_version: 2 }),
    });
    expect(renewed.record.state).toBe('renewed');
    const signal = applyGpc({ ...base, compiled: v2, notice: notice2, previous: renewed.state });
    expect(signal!.record).toMatchObject({ state: 'given', level: 1, withdrawn_purposes: expect.any(Array) });
    expect(signal!.record.withdrawn_purposes).toContain('predictions');
  });
});

describe('expiry', () => {
  it('a consent expires exactly at valid_until, not a moment before', () => {
    const { state } = given({ level: 2, purposes: { email_offers: true } });
    const until = state.validUntil!;
    expect(expire({ ...base, previous: state, now: until - 1 })).toBeNull();
    const expired = expire({ ...base, previous: state, now: until });
    expect(expired!.record).toMatchObject({
      event_type: 'consent_expired',
      state: 'expired',
      method: 'api',
      level: 0,
      purposes: [],
      gpc: { signal: false, override: false, requested_level: null },
    });
    expect(expired!.record.withdrawn_purposes).toEqual([
      'aggregate_models',
      'email_offers',
      'history_personalization',
      'session_personalization',
    ]);
  });

  it('nothing expires for a subject never seen or with nothing granted', () => {
    expect(expire({ ...base, now: T0 + 5000 * DAY })).toBeNull();
    const refused = given({ level: 0, method: 'reject' });
    expect(refused.state.validUntil).toBeNull();
    expect(expire({ ...base, previous: refused.state, now: T0 + 5000 * DAY })).toBeNull();
  });

  it('an expired consent keeps the GPC signal on record', () => {
    const capped = decide({ ...base, gpc: true, request: request({ level: 3 }) });
    const expired = expire({ ...base, previous: capped.state, now: T0 + 400 * DAY });
    expect(expired!.record.gpc).toEqual({ signal: true, override: false, requested_level: null });
    expect(expired!.state.gpc).toBe(true);
  });

  it('the consent that holds at valid_until is expired: level 0, nothing granted, asked again', () => {
    const { state } = given({ level: 3, purposes: { email_offers: true } });
    const until = state.validUntil!;
    expect(effectiveState(state, notice1, compiled, until - 1).state).toBe(state);
    const eff = effectiveState(state, notice1, compiled, until);
    expect(eff).toEqual({
      state: {
        ...state,
        level: 0,
        purposes: {
          session_personalization: false,
          history_personalization: false,
          aggregate_models: false,
          predictions: false,
          email_offers: false,
          offers_near_me: false,
        },
        dpvState: 'expired',
        validUntil: null,
        purposeScopes: {},
      },
      needsReconsent: true,
      invalidated: [],
    });
    expect(allowsEvent(eff.state, compiled, 'view').allowed).toBe(false);
  });
});

describe('the consent that holds now (C11)', () => {
  it('C11: on the notice it was given on, a consent holds as it is and asks nothing', () => {
    const { state } = given({ level: 3 });
    expect(effectiveState(state, notice1, compiled, T0)).toEqual({
      state,
      needsReconsent: false,
      invalidated: [],
    });
  });

  it('C11: a purpose no longer offered at the subject’s level counts as not consented', () => {
    const { state } = given({ level: 2 });
    // History moves up to level 3; its scope (and so its hash) stays the same.
    const v2 = changedPolicy((j) => {
      j.levels[2]!.purposes = ['session_personalization', 'aggregate_models'];
    });
    expect(v2.purposeScopes.get('history_personalization')).toBe(
      compiled.purposeScopes.get('history_personalization'),
    );
    const eff = effectiveState(state, { version: 2 }, v2, T0);
    expect(eff.invalidated).toEqual(['history_personalization']);
    expect(eff.needsReconsent).toBe(true);
    expect(eff.state.dpvState).toBe('invalidated');
  });

  it('C11: the purposes still consented keep the scope hash they were given under', () => {
    const { state } = given({ level: 3 });
    const v2 = changedPolicy((j) => {
      j.categories.predictions!.retention = 'P12M';
    });
    const eff = effectiveState(state, { version: 2 }, v2, T0);
    expect(eff.invalidated).toEqual(['predictions']);
    expect(eff.state.purposeScopes).toEqual({
      session_personalization: state.purposeScopes.session_personalization,
      history_personalization: state.purposeScopes.history_personalization,
      aggregate_models: state.purposeScopes.aggregate_models,
    });
    // The stored state itself is not changed.
    expect(state.purposeScopes.predictions).toBeDefined();
  });
});

describe('records (C10)', () => {
  it('C10: at level 1 the record gives each category’s retention as session', () => {
    const { record } = given({ level: 1 });
    expect(record.retention).toEqual({
      browsing: 'session',
      cart: 'session',
      device_context: 'session',
      searches: 'session',
    });
  });

  it('C10: recipients are listed once each, sorted by id, with name and country', () => {
    const { record } = given({ level: 2, purposes: { email_offers: true } });
    expect(record.recipients.map((r) => r.id)).toEqual(['email_service', 'hosting']);
    expect(record.recipients[1]).toEqual({ id: 'hosting', name: 'Beispiel Hosting GmbH', country: 'DE' });
  });

  it('C10: a refusal is recorded with no validity', () => {
    const { record } = given({ level: 0, method: 'reject' });
    expect(record).toMatchObject({ state: 'refused', valid_until: null, purposes: [], data_categories: [] });
  });
});

describe('stored state', () => {
  it('a state read back from the store parses to the same state', () => {
    const { state } = given({ level: 3, purposes: { email_offers: true } });
    expect(ConsentState.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    const { subjectId: _, ...withoutSubject } = state;
    expect(ConsentState.safeParse(withoutSubject).success).toBe(false);
  });
});

describe('event gate edges', () => {
  it('an event type the policy has no rule for is never stored', () => {
    const { state } = given({ level: 3 });
    expect(allowsEvent(state, compiled, 'refund' as 'view')).toEqual({
      allowed: false,
      category: '',
      reason: 'no_consent',
    });
  });

  it('R6: pausing twice, or resuming what runs, changes nothing', () => {
    const { state } = given({ level: 2 });
    expect(setPaused(state, false)).toBe(state);
    const paused = setPaused(state, true);
    expect(paused).not.toBe(state);
    expect(setPaused(paused, true)).toBe(paused);
  });
});
