import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  isPolicyError,
  loadDefaultPolicy,
  loadPolicyFile,
  type PolicyError,
  parsePolicy,
} from '../src/index';
import { defaultJson } from './fixtures';

function errorOf(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (isPolicyError(e)) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

function expectProblem(json: unknown, path: string, problem: RegExp): void {
  const e = errorOf(() => parsePolicy(json, 'shop.json'));
  expect(e.name).toBe('PolicyError');
  expect(e.file).toBe('shop.json');
  expect(e.path).toBe(path);
  expect(e.problem).toMatch(problem);
  expect(e.message).toBe(`shop.json: ${path}: ${e.problem}`);
}

describe('policy validation', () => {
  it('the default policy validates and declares every purpose the code uses', () => {
    const policy = loadDefaultPolicy();
    expect(Object.keys(policy.purposes)).toEqual(expect.arrayContaining([...CODE_PURPOSES]));
    expect(() => assertPurposesDeclared(policy, CODE_PURPOSES, 'default.json')).not.toThrow();
    expect(policy.session_timeout_minutes).toBe(30);
  });

  it('names an unknown category in a purpose', () => {
    const json = defaultJson();
    json.purposes.history_personalization!.categories[1] = 'wishlist';
    expectProblem(json, 'purposes.history_personalization.categories[1]', /unknown category "wishlist"/);
  });

  it('T1: names a missing English text', () => {
    const json = defaultJson();
    delete (json.purposes.predictions!.label as { en?: string }).en;
    expectProblem(json, 'purposes.predictions.label.en', /missing English text/);
  });

  it('T1: names an empty German text', () => {
    const json = defaultJson();
    json.purposes.predictions!.label.de = '   ';
    expectProblem(json, 'purposes.predictions.label.de', /German text is empty/);
  });

  it('a purpose used in code but not declared is a start-up error', () => {
    const policy = loadDefaultPolicy();
    const e = errorOf(() =>
      assertPurposesDeclared(policy, [...CODE_PURPOSES, 'lookalike_audiences'], 'shop.json'),
    );
    expect(e.path).toBe('purposes.lookalike_audiences');
    expect(e.message).toBe(
      'shop.json: purposes.lookalike_audiences: purpose "lookalike_audiences" is used by the code but not declared',
    );
  });

  it.each(['12 months', 'P', 'PT', 'P1W2D', 'P0D', 'forever'])('rejects the retention %j', (retention) => {
    const json = defaultJson();
    json.categories.browsing!.retention = retention;
    expectProblem(json, 'categories.browsing.retention', /"session" or an ISO 8601 duration/);
  });

  it('rejects levels that are not nested', () => {
    const json = defaultJson();
    json.levels[3]!.purposes = ['session_personalization', 'predictions', 'aggregate_models'];
    expectProblem(json, 'levels[3].purposes', /nested: level 3 lacks "history_personalization" of level 2/);
  });

  it('rejects an event field the event type does not have', () => {
    const json = defaultJson();
    json.events.view!.fields.push('lines');
    expectProblem(json, 'events.view.fields[3]', /"lines" is not a field of view events/);
  });

  it('rejects an event of an unknown category', () => {
    const json = defaultJson();
    json.events.search!.category = 'search_history';
    expectProblem(json, 'events.search.category', /unknown category "search_history"/);
  });

  it('O3: rejects a direct-marketing purpose inside a level', () => {
    const json = defaultJson();
    for (const level of json.levels.slice(2)) level.purposes.push('email_offers');
    json.switches = ['offers_near_me'];
    expectProblem(
      json,
      'levels[2].purposes[3]',
      /direct marketing and may only be offered as its own switch/,
    );
  });

  it('rejects level 0 with purposes, unknown recipients and unknown fields', () => {
    const json = defaultJson();
    json.levels[0]!.purposes = ['session_personalization'];
    expectProblem(json, 'levels[0].purposes', /level 0/);

    const json2 = defaultJson();
    (json2.purposes.predictions!.recipients as string[]).push('adnetwork');
    expectProblem(json2, 'purposes.predictions.recipients[1]', /unknown recipient "adnetwork"/);

    const json3 = defaultJson();
    Object.assign(json3.categories.cart!, { sensitive: true });
    expectProblem(json3, 'categories.cart', /unknown field\(s\): sensitive/);
  });

  it('requires every consent purpose to be offered, and offered purposes to rest on consent', () => {
    const json = defaultJson();
    json.switches = ['email_offers'];
    expectProblem(json, 'purposes.offers_near_me', /must be in a level or be a switch/);

    const json2 = defaultJson();
    (json2.purposes.predictions!.legal_basis as { type: string }).type = 'legitimate_interest';
    expectProblem(json2, 'purposes.predictions.legal_basis.type', /based on consent/);
  });

  it('loadPolicyFile names the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-policy-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "notice_id": ');
    expect(errorOf(() => loadPolicyFile(broken)).message).toMatch(/broken\.json: \(file\): not valid JSON/);
    expect(errorOf(() => loadPolicyFile(join(dir, 'missing.json'))).problem).toBe('cannot read the file');

    const bad = join(dir, 'bad.json');
    const json = defaultJson();
    json.categories.browsing!.retention = '1 year';
    writeFileSync(bad, JSON.stringify(json));
    const e = errorOf(() => loadPolicyFile(bad));
    expect(e.file).toBe(bad);
    expect(e.path).toBe('categories.browsing.retention');
  });
});
