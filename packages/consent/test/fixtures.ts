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

export const compiled = compilePolicy(loadDefaultPolicy());
export const notice1 = publishNotice(compiled, 1, 'de');
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
