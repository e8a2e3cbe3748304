import { createHash, randomBytes } from 'node:crypto';
import type { KeyKind } from '@vitrine/storage';

const PREFIX: Record<KeyKind, string> = { secret: 'vt_sk_', public: 'vt_pk_' };

/** A new API key; only its hash is stored. */
export function generateApiKey(kind: KeyKind): { key: string; hash: string; prefix: string } {
  const key = PREFIX[kind] + randomBytes(24).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) };
}

/** Keys carry 192 random bits, so an unsalted SHA-256 is enough to make the stored hash useless to a thief. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyKindOf(key: string): KeyKind | undefined {
  if (key.startsWith(PREFIX.secret)) return 'secret';
  if (key.startsWith(PREFIX.public)) return 'public';
  return undefined;
}
