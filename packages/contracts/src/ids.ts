import { randomBytes } from 'node:crypto';

/** Prefixes make ids readable in logs and audit entries, and erasure scans simple. */
export const ID_PREFIXES = {
  shop: 'shop',
  subject: 'sub',
  consent: 'cns',
  event: 'evt',
  key: 'key',
  request: 'req',
  erasure: 'era',
  exclusion: 'exc',
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
  return `${ID_PREFIXES[kind]}_${randomChars(16)}`;
}

/**
 * A prefixed id that starts with the time (9 base-36 characters of epoch ms), then 12 random
 * characters (~62 bits): ids made later sort later, so stores append to their key index
 * instead of writing all over it.
 */
export function newTimeId(kind: IdKind, now: number): string {
  return `${ID_PREFIXES[kind]}_${Math.floor(now).toString(36).padStart(9, '0')}${randomChars(12)}`;
}

function randomChars(n: number): string {
  if (offset + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[pool[offset + i]! % 36];
  offset += n;
  return out;
}

export const SUBJECT_ID_PATTERN = /^sub_[A-Za-z0-9_-]{1,64}$/;
