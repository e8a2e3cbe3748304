import { fileURLToPath } from 'node:url';
import { loadPolicyFile } from './parse';
import type { Policy } from './schema';

/** The shipped default policy of a typical German home-and-gift shop; the shop replaces the placeholders. */
export const defaultPolicyPath: string = fileURLToPath(new URL('../policies/default.json', import.meta.url));

export function loadDefaultPolicy(): Policy {
  return loadPolicyFile(defaultPolicyPath);
}
