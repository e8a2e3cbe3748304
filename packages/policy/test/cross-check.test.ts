import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  categoryStorage,
  checkPolicyBuilds,
  compilePolicy,
  isPolicyError,
  loadDefaultPolicy,
  type PolicyError,
  parsePolicy,
  recordOfProcessing,
  sha256Hex,
} from '../src/index';
import { defaultJson } from './fixtures';

// Checks found missing by mutation testing (docs/mutation.md): each branch of the policy's
// cross-reference checks, the build check, and the lookup tables the consent checks read.

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (isPolicyError(e)) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

function problemOf(json: unknown): { path: string; problem: string } {
  const { path, problem } = errorOf(() => parsePolicy(json, 'shop.json'));
  return { path, problem };
}

describe('policy cross-checks', () => {
  it('names an unknown purpose in a level', () => {
    const json = defaultJson();
    json.levels[3]!.purposes.push('lookalikes');
    expect(problemOf(json)).toEqual({
      path: 'levels[3].purposes[4]',
      problem: 'unknown purpose "lookalikes"',
    });
  });

  it('names an unknown purpose among the switches', () => {
    const json = defaultJson();
    json.switches = ['email_offers', 'offers_near_me', 'sms_offers'];
    expect(problemOf(json)).toEqual({ path: 'switches[2]', problem: 'unknown purpose "sms_offers"' });
  });

  it('C5: a purpose of a level cannot also be a separate switch', () => {
    const json = defaultJson();
    json.switches = ['email_offers', 'offers_near_me', 'predictions'];
    expect(problemOf(json)).toEqual({
      path: 'switches[2]',
      problem: '"predictions" is part of a level and cannot also be a switch',
    });
  });

  it('D2: a field mapped to another category must be a declared field of a known category', () => {
    const undeclared = defaultJson();
    undeclared.events.view!.field_categories = { 'context.page': 'device_context' };
    expect(problemOf(undeclared)).toEqual({
      path: 'events.view.field_categories.context.page',
      problem: '"context.page" is not among the declared fields',
    });

    const unknown = defaultJson();
    unknown.events.search!.field_categories!['context.region'] = 'location';
    expect(problemOf(unknown)).toEqual({
      path: 'events.search.field_categories.context.region',
      problem: 'unknown category "location"',
    });
  });

  it('names every unknown field and every allowed event field, comma-separated', () => {
    const json = defaultJson();
    Object.assign(json.categories.cart!, { sensitive: true, owner: 'x' });
    expect(problemOf(json)).toEqual({
      path: 'categories.cart',
      problem: 'unknown field(s): sensitive, owner',
    });

    const fields = defaultJson();
    fields.events.search!.fields.push('order_id');
    expect(problemOf(fields).problem).toBe(
      '"order_id" is not a field of search events (allowed: query, results, context.page, context.device, context.region, context.referrer)',
    );
  });

  it('an id that is not an id is named with what ids may be', () => {
    const json = defaultJson();
    (json.purposes as Record<string, unknown>)['Bad-Id'] = json.purposes.predictions;
    expect(problemOf(json)).toEqual({
      path: 'purposes.Bad-Id',
      problem: 'ids are lower-case letters, digits and _ (at most 64), starting with a letter',
    });
  });

  it('T1: a text that is not a string is told apart from a missing one', () => {
    const json = defaultJson();
    (json.purposes.predictions!.label as { de: unknown }).de = 5;
    expect(problemOf(json)).toEqual({
      path: 'purposes.predictions.label.de',
      problem: 'German text must be a string',
    });
  });

  it('a schema error keeps the zod error as its cause', () => {
    const json = defaultJson();
    json.categories.browsing!.retention = 'forever';
    const e = errorOf(() => parsePolicy(json, 'shop.json'));
    expect((e.cause as { issues?: unknown[] } | undefined)?.issues?.length).toBeGreaterThan(0);
  });
});

describe('policy build check', () => {
  it('a valid policy builds', () => {
    expect(() => checkPolicyBuilds(loadDefaultPolicy(), 'default.json')).not.toThrow();
  });

  it('a policy that validates but cannot be compiled is reported against the file, with the cause', () => {
    // Past the schema (which refuses it): what a bug between schema and compiler would look like.
    const policy = loadDefaultPolicy();
    (policy.categories.browsing as { retention: string }).retention = 'bogus';
    const e = errorOf(() => checkPolicyBuilds(policy, 'shop.json'));
    expect(e.file).toBe('shop.json');
    expect(e.path).toBe('');
    expect(e.problem).toBe(
      'the policy validates but its documents cannot be built (not a validated duration: bogus); please report this as a bug',
    );
    expect(e.cause).toBeInstanceOf(TypeError);
  });

  it('a failure only in a rendered document, in either language, is caught too', () => {
    const policy = loadDefaultPolicy();
    (policy.levels[2] as { name: unknown }).name = undefined;
    // The tables and the record of processing do not read level names; the notice does.
    expect(() => compilePolicy(policy)).not.toThrow();
    expect(() => recordOfProcessing(policy)).not.toThrow();
    expect(errorOf(() => checkPolicyBuilds(policy, 'shop.json')).problem).toMatch(/cannot be built/);
  });
});

describe('compiled lookup tables', () => {
  it('D2: each category lists exactly the purposes that read it', () => {
    const compiled = compilePolicy(loadDefaultPolicy());
    expect(Object.fromEntries(compiled.readers)).toEqual({
      browsing: ['session_personalization', 'history_personalization', 'aggregate_models', 'predictions'],
      searches: ['session_personalization'],
      cart: ['session_personalization', 'history_personalization', 'aggregate_models', 'predictions'],
      purchases: ['history_personalization', 'aggregate_models', 'predictions', 'email_offers'],
      device_context: ['session_personalization', 'offers_near_me'],
      predictions: ['predictions'],
    });
    expect(compiled.purposes.get('history_personalization')).toEqual({
      categories: new Set(['browsing', 'cart', 'purchases']),
      sessionOnly: false,
      profiling: true,
      marketing: false,
    });
  });

  it('D2: a field of another category keeps that category; the others take the event’s', () => {
    const compiled = compilePolicy(loadDefaultPolicy());
    expect(compiled.events.get('view')).toEqual({
      category: 'browsing',
      fields: [
        { field: 'item_id', category: 'browsing' },
        { field: 'context.device', category: 'device_context' },
        { field: 'context.region', category: 'device_context' },
      ],
    });
  });

  it('D2: a category kept only for the session stays session-only even when a retained purpose reads it', () => {
    const json = defaultJson();
    json.purposes.history_personalization!.categories.push('searches');
    const compiled = compilePolicy(parsePolicy(json, 'x'));
    const granted = (p: string) => p === 'history_personalization';
    expect(compiled.retention.get('searches')).toBe('session');
    expect(categoryStorage(compiled, 'searches', granted)).toMatchObject({
      allowed: true,
      sessionOnly: true,
    });
    expect(categoryStorage(compiled, 'browsing', granted)).toEqual({
      allowed: true,
      sessionOnly: false,
      retention: 'P12M',
    });
  });

  it('the session timeout is in milliseconds; the consent validity stays a calendar duration', () => {
    const compiled = compilePolicy(loadDefaultPolicy());
    expect(compiled.sessionTimeoutMs).toBe(30 * 60_000);
    expect(compiled.consentValidity).toBe('P12M');
  });
});

describe('scope hashing', () => {
  it('C11: canonical JSON sorts keys at every depth and keeps arrays and scalars as they are', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', { d: 2, c: 'y' }] })).toBe(
      '{"a":[true,null,"x",{"c":"y","d":2}],"b":1}',
    );
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson(12)).toBe('12');
    expect(canonicalJson(null)).toBe('null');
  });

  it('C10: sha256Hex is SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('ä')).toBe('33e6d73fee82904c8d7afb78de1154d1e8dc2a0edb08120e63df5b9385c2d9cc');
  });
});
