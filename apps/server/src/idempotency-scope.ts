import { createHash } from 'node:crypto';

/**
 * The caller an `Idempotency-Key` answer is kept under: the shop's server (`secret`), or one
 * subject calling with the public key, as a hash of shop and subject (the table holds no
 * subject ids). Erasure deletes the subject's scope by the same function.
 */
export function idempotencyScope(shopId: string, caller: { kind: string; subject?: string }): string {
  if (caller.subject === undefined) return caller.kind;
  const h = createHash('sha256').update(shopId).update('\u0000').update(caller.subject).update('\u0000');
  return `public:${h.digest('hex').slice(0, 32)}`;
}
