import { randomBytes } from 'node:crypto';

/** Prefixes make ids readable in logs and audit entries, and erasure scans simple. */
export const ID_PREFIXES = {
  shop: 'shop',
  subject: 'sub',
  consent: 'cns',
  event: 'evt',
  key: 'key',
  request: 'req',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const POOL_SIZE = 16 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/**
 * A random, prefixed id: `sub_3kq9…` (16 base-36 characters, ~82 bits). Random bytes come
 * from a pooled buffer of the CSPRNG: ids are made per event on the ingest path.
 */
export function newId(kind: IdKind): string {
  if (offset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[pool[offset + i]! % 36];
  offset += 16;
  return `${ID_PREFIXES[kind]}_${out}`;
}

export const SUBJECT_ID_PATTERN = /^sub_[A-Za-z0-9_-]{1,64}$/;
