import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  durationMs,
  isPolicyError,
  type PolicyError,
  type PolicyInput,
  parsePolicy,
  purposeScopeHashes,
  scopeHash,
} from '../src/index';
import { defaultJson } from './fixtures';

// The policy schema, durations and scope hashes edge by edge, as mutation testing
// (docs/mutation.md) asked for.

function problemOf(json: unknown): { path: string; problem: string } {
  try {
    parsePolicy(json, 'shop.json');
  } catch (e) {
    if (isPolicyError(e)) return { path: (e as PolicyError).path, problem: (e as PolicyError).problem };
    throw e;
  }
  throw new Error('expected a PolicyError');
}

const DAY = 86_400_000;

describe('policy schema', () => {
  it('ids are lower-case letters, digits and _, start with a letter, and are at most 64 long', () => {
    for (const id of ['_tracking', 'tracking-2', 'ab-c', 'a'.repeat(65)]) {
      const json = defaultJson();
      (json.recipients as Record<string, unknown>)[id] = json.recipients!.hosting;
      expect(problemOf(json), id).toEqual({
        path: `recipients.${id}`,
        problem: 'ids are lower-case letters, digits and _ (at most 64), starting with a letter',
      });
    }
    const json = defaultJson();
    (json.recipients as Record<string, unknown>)[`a${'_'.repeat(63)}`] = json.recipients!.hosting;
    expect(() => parsePolicy(json, 'shop.json')).not.toThrow();
  });

  it('C7: names of the controller and recipients may not be blank', () => {
    const cases: [(j: PolicyInput) => void, string, string][] = [
      [
        (j) => {
          j.controller.name = '  ';
        },
        'controller.name',
        'controller name is empty',
      ],
      [
        (j) => {
          j.controller.address = '  ';
        },
        'controller.address',
        'controller address is empty',
      ],
      [
        (j) => {
          j.controller.email = 'nobody';
        },
        'controller.email',
        'must be an e-mail address',
      ],
      [
        (j) => {
          j.controller.dpo = { name: ' ', email: 'dpo@example.org' };
        },
        'controller.dpo.name',
        'Too small: expected string to have >=1 characters',
      ],
      [
        (j) => {
          j.recipients!.hosting!.name = ' ';
        },
        'recipients.hosting.name',
        'recipient name is empty',
      ],
    ];
    for (const [change, path, problem] of cases) {
      const json = defaultJson();
      change(json);
      expect(problemOf(json)).toEqual({ path, problem });
    }
  });

  it('C7: a recipient’s country is a two-letter ISO code', () => {
    for (const country of ['DEU', 'xDE', 'de']) {
      const json = defaultJson();
      json.recipients!.hosting!.country = country;
      expect(problemOf(json)).toEqual({
        path: 'recipients.hosting.country',
        problem: 'country must be an ISO 3166-1 alpha-2 code such as DE',
      });
    }
  });

  it('every kind of data category is accepted: provided, observed, derived, inferred', () => {
    for (const kind of ['provided', 'observed', 'derived', 'inferred'] as const) {
      const json = defaultJson();
      json.categories.browsing!.kind = kind;
      expect(parsePolicy(json, 'shop.json').categories.browsing!.kind).toBe(kind);
    }
  });

  it('a purpose the customer is not asked for may rest on contract, legal obligation or legitimate interest', () => {
    for (const type of ['contract', 'legal_obligation', 'legitimate_interest'] as const) {
      const json = defaultJson();
      json.purposes.order_processing = {
        ...json.purposes.history_personalization!,
        legal_basis: { ...json.purposes.history_personalization!.legal_basis, type },
      };
      expect(parsePolicy(json, 'shop.json').purposes.order_processing!.legal_basis.type).toBe(type);
    }
  });

  it('there are exactly four levels, 0 to 3', () => {
    const json = defaultJson();
    json.levels.pop();
    expect(problemOf(json)).toEqual({
      path: 'levels',
      problem: 'levels must list exactly four levels, 0 to 3',
    });
  });

  it('without switches and recipients the policy declares none', () => {
    const json = defaultJson();
    delete json.switches;
    delete json.purposes.email_offers;
    delete json.purposes.offers_near_me;
    delete json.recipients;
    for (const purpose of Object.values(json.purposes)) purpose.recipients = [];
    const policy = parsePolicy(json, 'shop.json');
    expect(policy.switches).toEqual([]);
    expect(policy.recipients).toEqual({});
  });

  it('C8: the withdrawal path is a path on the shop, starting with /', () => {
    const json = defaultJson();
    json.withdrawal.path = 'datenschutz/personalisierung';
    expect(problemOf(json)).toEqual({ path: 'withdrawal.path', problem: 'path must start with /' });
  });

  it('the consent validity is an ISO 8601 duration', () => {
    const json = defaultJson();
    json.consent.validity = '1 Jahr';
    expect(problemOf(json)).toEqual({
      path: 'consent.validity',
      problem: 'must be an ISO 8601 duration such as P12M, P30D or PT12H',
    });
  });
});

describe('durations', () => {
  it('D2: every unit, with numbers of more than one digit', () => {
    expect(durationMs('P10Y')).toBe(10 * 365 * DAY);
    expect(durationMs('P18M')).toBe(18 * 30 * DAY);
    expect(durationMs('P12W')).toBe(12 * 7 * DAY);
    expect(durationMs('P45D')).toBe(45 * DAY);
    expect(durationMs('PT36H')).toBe(36 * 3_600_000);
    expect(durationMs('PT90M')).toBe(90 * 60_000);
    expect(durationMs('PT45S')).toBe(45_000);
    expect(durationMs('P1DT12H30M15S')).toBe(DAY + 12 * 3_600_000 + 30 * 60_000 + 15_000);
  });

  it('anything around or inside a duration that ISO 8601 does not allow is refused', () => {
    for (const text of [
      'XP30D',
      'P30DX',
      'P30',
      'PT',
      'P1W1D',
      'PT1D',
      'P1H',
      'p30d',
      'P-1D',
      'P1.5D',
      'PxD',
    ]) {
      expect(durationMs(text), text).toBeUndefined();
    }
  });
});

describe('scope hashes (C11)', () => {
  it('C11: the order in which a purpose lists its categories or recipients does not ask again', () => {
    const json = defaultJson();
    json.purposes.email_offers!.recipients.reverse();
    json.purposes.predictions!.categories.reverse();
    const reordered = parsePolicy(json, 'x');
    const base = parsePolicy(defaultJson(), 'x');
    expect(scopeHash(reordered)).toBe(scopeHash(base));
    expect(purposeScopeHashes(reordered)).toEqual(purposeScopeHashes(base));
  });

  it('C11: a changed kind of data or recipient changes the scope of every purpose using it, and only those', () => {
    const base = purposeScopeHashes(parsePolicy(defaultJson(), 'x'));
    const changes: [(j: PolicyInput) => void, string[]][] = [
      [
        (j) => {
          j.categories.device_context!.kind = 'inferred';
        },
        ['session_personalization', 'offers_near_me'],
      ],
      [
        (j) => {
          j.recipients!.email_service!.country = 'US';
        },
        ['email_offers'],
      ],
      [
        (j) => {
          j.recipients!.email_service!.name = 'Anderer Versand AG';
        },
        ['email_offers'],
      ],
    ];
    for (const [change, touched] of changes) {
      const json = defaultJson();
      change(json);
      const after = purposeScopeHashes(parsePolicy(json, 'x'));
      for (const [id, hash] of base) expect(after.get(id) === hash, id).toBe(!touched.includes(id));
    }
  });

  it('C11: a category or recipient no purpose uses still counts in the notice’s scope', () => {
    const json = defaultJson();
    json.categories.wishlist = { ...json.categories.cart!, retention: 'P6M' };
    json.recipients!.archive = { ...json.recipients!.hosting!, country: 'DE' };
    const base = scopeHash(parsePolicy(json, 'x'));
    const changes: ((j: PolicyInput) => void)[] = [
      (j) => {
        j.categories.wishlist!.retention = 'P12M';
      },
      (j) => {
        j.categories.wishlist!.kind = 'inferred';
      },
      (j) => {
        j.recipients!.archive!.country = 'CH';
      },
      (j) => {
        j.recipients!.archive!.name = 'Archiv AG';
      },
    ];
    for (const change of changes) {
      const copy = structuredClone(json);
      change(copy);
      expect(scopeHash(parsePolicy(copy, 'x'))).not.toBe(base);
    }
    // Texts alone never change it.
    const text = structuredClone(json);
    text.categories.wishlist!.label.de = 'Merkliste';
    expect(scopeHash(parsePolicy(text, 'x'))).toBe(base);
    expect(compilePolicy(parsePolicy(text, 'x')).scopeHash).toBe(base);
  });
});
