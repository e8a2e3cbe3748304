import { readFileSync } from 'node:fs';
import type { ConsentUpdateRequest } from '@vitrine/contracts';
import {
  compilePolicy,
  defaultPolicyPath,
  loadDefaultPolicy,
  type PolicyInput,
  parsePolicy,
} from '@vitrine/policy';
import { publishNotice } from '../src/index';

/**
 * The default policy compiled and its German notice, version 1. Tests build it in a
 * `beforeEach`, not at import: code run at import belongs to no test, so a mutation run
 * (docs/mutation.md) would have to run every test for each change to it.
 */
export function defaults() {
  const compiled = compilePolicy(loadDefaultPolicy());
  return { compiled, notice1: publishNotice(compiled, 1, 'de') };
}
export const T0 = Date.parse('2026-11-23T10:00:00Z');
export const SUBJECT = 'sub_test1234';

/** The default policy with one change, compiled. */
export function changedPolicy(change: (json: PolicyInput) => void) {
  const json: PolicyInput = JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));
  change(json);
  return compilePolicy(parsePolicy(json, 'changed.json'));
}

export function request(over: Partial<ConsentUpdateRequest> = {}): ConsentUpdateRequest {
  return {
    level: 1,
    purposes: {},
    language: 'de',
    notice_version: 1,
    method: 'save',
    override_gpc: false,
    ...over,
  };
}
