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

/** A random, prefixed id: `sub_3kq9…` (16 base-36 characters, ~82 bits). */
export function newId(kind: IdKind): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 36];
  return `${ID_PREFIXES[kind]}_${out}`;
}

export const SUBJECT_ID_PATTERN = /^sub_[A-Za-z0-9_-]{1,64}$/;
