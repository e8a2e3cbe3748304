import { loadDefaultPolicy, noticeDialog } from '@vitrine/policy';
import { describe, expect, it } from 'vitest';
import { consentBody, gpcConflict, grantsAnything, initialSwitches, purposeChanges } from '../src/consent';

const d = noticeDialog(loadDefaultPolicy(), 'de');

describe('consent choices', () => {
  it('C3: nothing pre-ticked — switches start off, a level starts with its own bundle only', () => {
    const none = { level: 0 as const, purposes: {} };
    expect(Object.values(initialSwitches(d, 0, none)).every((on) => !on)).toBe(true);
    const at2 = initialSwitches(d, 2, none);
    expect(at2).toMatchObject({
      session_personalization: true,
      history_personalization: true,
      aggregate_models: true,
      predictions: false,
      email_offers: false,
      offers_near_me: false,
    });
  });

  it('a bundle purpose turned off stays off at that level only; a switch stays as left', () => {
    const current = { level: 2 as const, purposes: { aggregate_models: false, email_offers: true } };
    expect(initialSwitches(d, 2, current)).toMatchObject({ aggregate_models: false, email_offers: true });
    expect(initialSwitches(d, 3, current)).toMatchObject({ aggregate_models: true, email_offers: true });
  });

  it('C5: the request names only what differs from the level: bundle purposes off, switches on', () => {
    const sw = {
      ...initialSwitches(d, 2, { level: 0, purposes: {} }),
      aggregate_models: false,
      email_offers: true,
    };
    expect(purposeChanges(d, 2, sw)).toEqual({ aggregate_models: false, email_offers: true });
    expect(purposeChanges(d, 2, initialSwitches(d, 2, { level: 0, purposes: {} }))).toEqual({});
  });

  it('O1: a GPC signal conflicts with any level above 1 until the customer overrides it', () => {
    expect(gpcConflict(1, true, false)).toBe(false);
    expect(gpcConflict(2, true, false)).toBe(true);
    expect(gpcConflict(3, true, true)).toBe(false);
    expect(gpcConflict(3, false, false)).toBe(false);
  });

  it('a choice grants something at level ≥ 1 or with a switch on; a refusal grants nothing', () => {
    expect(grantsAnything({ level: 0, purposes: {} })).toBe(false);
    expect(grantsAnything({ level: 0, purposes: { email_offers: false } })).toBe(false);
    expect(grantsAnything({ level: 0, purposes: { email_offers: true } })).toBe(true);
    expect(grantsAnything({ level: 1, purposes: {} })).toBe(true);
  });

  it('builds the consent request the API expects', () => {
    expect(consentBody({ level: 3, purposes: {}, method: 'accept', overrideGpc: true }, 4, 'en')).toEqual({
      level: 3,
      purposes: {},
      notice_version: 4,
      language: 'en',
      method: 'accept',
      override_gpc: true,
    });
  });
});
