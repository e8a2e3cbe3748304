import { beforeEach, describe, expect, it } from 'vitest';
import {
  addDuration,
  type CompiledPolicy,
  categoriesFor,
  categoryStorage,
  compilePolicy,
  durationMs,
  effectivePurposes,
  levelPurposes,
  loadDefaultPolicy,
  noticeText,
  parsePolicy,
  scopeHash,
} from '../src/index';
import { defaultJson } from './fixtures';

const DAY = 86_400_000;
// Built per test, not at import, so that a mutation run sees which test uses which code.
let compiled: CompiledPolicy;
beforeEach(() => {
  compiled = compilePolicy(loadDefaultPolicy());
});
const grantedAt = (level: 0 | 1 | 2 | 3) => {
  const set = levelPurposes(compiled, level);
  return (p: string) => set.has(p);
};

describe('compiled policy', () => {
  it('durationMs approximates (a month as 30 days); expiry does not use it', () => {
    expect(durationMs('P30D')).toBe(30 * DAY);
    expect(durationMs('P12M')).toBe(360 * DAY);
    expect(durationMs('P3Y')).toBe(3 * 365 * DAY);
    expect(durationMs('PT12H')).toBe(DAY / 2);
    expect(durationMs('P1Y6M')).toBe((365 + 180) * DAY);
    expect(durationMs('P2W')).toBe(14 * DAY);
    expect(durationMs('P1W1D')).toBeUndefined();
    expect(durationMs('session')).toBeUndefined();
  });

  it('D2: retention is counted on the calendar: P12M is twelve months to the day, not 360 days', () => {
    const t = Date.parse('2026-11-23T10:00:00Z');
    expect(new Date(addDuration(t, 'P12M')).toISOString()).toBe('2027-11-23T10:00:00.000Z');
    expect(addDuration(t, 'P12M')).not.toBe(t + 360 * DAY);
    expect(new Date(addDuration(Date.parse('2027-01-31T23:30:00Z'), 'P1M')).toISOString()).toBe(
      '2027-02-28T23:30:00.000Z',
    );
    expect(new Date(addDuration(Date.parse('2028-02-29T00:00:00Z'), 'P1Y')).toISOString()).toBe(
      '2029-02-28T00:00:00.000Z',
    );
    expect(new Date(addDuration(Date.parse('2026-03-28T12:00:00Z'), 'P1Y6M2DT3H')).toISOString()).toBe(
      '2027-09-30T15:00:00.000Z',
    );
    expect(addDuration(t, 'P2W')).toBe(t + 14 * DAY);
    expect(() => addDuration(t, 'session')).toThrow(/not an ISO 8601 duration/);
  });

  it('levels are nested bundles, and switches come on top', () => {
    expect([...levelPurposes(compiled, 0)]).toEqual([]);
    expect([...levelPurposes(compiled, 1)]).toEqual(['session_personalization']);
    expect([...levelPurposes(compiled, 3)]).toEqual([
      'session_personalization',
      'history_personalization',
      'aggregate_models',
      'predictions',
    ]);
    expect([
      ...effectivePurposes(compiled, 0, { email_offers: true, offers_near_me: false, bogus: true }),
    ]).toEqual(['email_offers']);
  });

  it('D2: each level lists the categories it may read', () => {
    expect([...categoriesFor(compiled, levelPurposes(compiled, 0))]).toEqual([]);
    expect([...categoriesFor(compiled, levelPurposes(compiled, 1))].sort()).toEqual([
      'browsing',
      'cart',
      'device_context',
      'searches',
    ]);
    expect([...categoriesFor(compiled, levelPurposes(compiled, 2))]).toContain('purchases');
    expect([...categoriesFor(compiled, levelPurposes(compiled, 2))]).not.toContain('predictions');
    expect([...categoriesFor(compiled, levelPurposes(compiled, 3))]).toContain('predictions');
  });

  it('D2: level 1 keeps data for the session only; level 2 retains it; searches stay session-only', () => {
    expect(categoryStorage(compiled, 'browsing', grantedAt(0))).toEqual({ allowed: false });
    expect(categoryStorage(compiled, 'browsing', grantedAt(1))).toEqual({
      allowed: true,
      sessionOnly: true,
      retention: null,
    });
    expect(categoryStorage(compiled, 'browsing', grantedAt(2))).toEqual({
      allowed: true,
      sessionOnly: false,
      retention: 'P12M',
    });
    expect(categoryStorage(compiled, 'searches', grantedAt(3))).toMatchObject({ sessionOnly: true });
    expect(categoryStorage(compiled, 'predictions', grantedAt(3))).toMatchObject({ retention: 'P6M' });
    expect(compiled.retention.get('searches')).toBe('session');
    expect(compiled.events.get('purchase')).toEqual({
      category: 'purchases',
      fields: [
        { field: 'order_id', category: 'purchases' },
        { field: 'currency', category: 'purchases' },
        { field: 'lines', category: 'purchases' },
      ],
    });
    expect(compiled.sessionTimeoutMs).toBe(30 * 60_000);
  });

  it('C11: the scope hash changes with purposes, categories and recipients, not with texts', () => {
    const base = scopeHash(parsePolicy(defaultJson(), 'x'));
    const variants: ((j: ReturnType<typeof defaultJson>) => void)[] = [
      (j) => j.purposes.history_personalization!.categories.push('searches'),
      (j) => {
        j.purposes.predictions!.profiling = false;
      },
      (j) => {
        j.categories.purchases!.retention = 'P24M';
      },
      (j) => {
        j.recipients!.hosting!.country = 'US';
      },
      (j) => {
        j.recipients!.hosting!.name = 'Andere Hosting AG';
      },
    ];
    for (const change of variants) {
      const json = defaultJson();
      change(json);
      expect(scopeHash(parsePolicy(json, 'x'))).not.toBe(base);
    }

    const typo = defaultJson();
    typo.purposes.predictions!.label.de = 'Vorhersagen (korrigiert)';
    const fixed = parsePolicy(typo, 'x');
    expect(scopeHash(fixed)).toBe(base);
    expect(noticeText(fixed, 'de')).not.toBe(noticeText(loadDefaultPolicy(), 'de'));
  });

  it('per-purpose scope hashes change only for the purposes touched', () => {
    const json = defaultJson();
    json.categories.predictions!.retention = 'P12M';
    const changed = compilePolicy(parsePolicy(json, 'x'));
    for (const [id, hash] of compiled.purposeScopes) {
      expect(changed.purposeScopes.get(id) === hash, id).toBe(id !== 'predictions');
    }
  });
});
