import { createHash } from 'node:crypto';

/** SHA-256 (hex) of the parts, each followed by NUL, so that no two lists of parts collide. */
export function hashParts(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}

/**
 * The caller an `Idempotency-Key` answer is kept under: the shop's server (`secret`), or one
 * subject calling with the public key, as a hash of shop and subject (the table holds no
 * subject ids). Erasure deletes the subject's scope by the same function.
 */
export function idempotencyScope(shopId: string, caller: { kind: string; subject?: string }): string {
  if (caller.subject === undefined) return caller.kind;
  return `public:${hashParts(shopId, caller.subject).slice(0, 32)}`;
}
