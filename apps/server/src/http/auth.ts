import { VitrineError } from '@vitrine/contracts';
import type { ApiKeyRow, KeyKind, RightsRequestProof, Store } from '@vitrine/storage';
import { isBackendToken, verifyBackendToken } from '../backend-token';
import { hashApiKey, keyKindOf } from '../keys';
import type { SubjectTokens } from '../subject-token';

export interface Caller {
  shopId: string;
  kind: KeyKind;
  keyId: string;
}

/**
 * Checks `Authorization: Bearer <key>` against the stored key hashes (cached for 30 s).
 * `allow` lists the key kinds a route accepts: secret keys reach the whole API, public keys
 * only the browser routes.
 */
export function apiKeys(
  store: Store,
): (header: string | undefined, allow: readonly KeyKind[]) => Promise<Caller> {
  const cache = new Map<string, { row: ApiKeyRow; at: number }>();
  const ttlMs = 30_000;
  return async (header, allow) => {
    const key = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!key && header) {
      throw new VitrineError(
        'unauthorized',
        'The Authorization header must read "Bearer <key>" (the word Bearer, a space, then the key).',
        { field: 'authorization' },
      );
    }
    if (!key) {
      throw new VitrineError(
        'unauthorized',
        'Missing API key. Send "Authorization: Bearer <key>" with the shop\'s secret key (server) or public key (browser).',
        { field: 'authorization' },
      );
    }
    const kind = keyKindOf(key);
    const hash = hashApiKey(key);
    let row = cache.get(hash);
    if (!row || Date.now() - row.at > ttlMs) {
      const found = kind ? await store.keys.findByHash(hash) : undefined;
      if (!found) {
        cache.delete(hash);
        throw new VitrineError(
          'unauthorized',
          'The API key is not valid (unknown or revoked). Check that you copied the whole key for this shop.',
          { field: 'authorization' },
        );
      }
      row = { row: found, at: Date.now() };
      cache.set(hash, row);
    }
    if (!allow.includes(row.row.kind)) {
      throw new VitrineError(
        'forbidden',
        "This route needs the shop's secret key; the public key may only send events, consent and recommendations for its own subject.",
        { field: 'authorization' },
      );
    }
    return { shopId: row.row.shopId, kind: row.row.kind, keyId: row.row.id };
  };
}

/**
 * The subject a caller may act for, and how that was proven (R1): with a secret key, any
 * subject of the shop (undefined); with a public key, only the one bound by the subject token,
 * or by a token the shop's backend signed (see backend-token.ts).
 */
export async function boundSubject(
  caller: Caller,
  tokenHeader: string | undefined,
  tokens: SubjectTokens,
  store: Store,
): Promise<{ subject: string | undefined; proof: RightsRequestProof }> {
  if (caller.kind === 'secret') return { subject: undefined, proof: 'secret_key' };
  if (!tokenHeader) {
    throw new VitrineError(
      'unauthorized',
      "With the public key, send the subject token from POST /v1/subjects (or a token signed by the shop's backend) in the X-Vitrine-Subject header.",
      { field: 'x-vitrine-subject' },
    );
  }
  if (isBackendToken(tokenHeader)) {
    return { subject: await verifyBackendToken(store, caller.shopId, tokenHeader), proof: 'backend_token' };
  }
  return { subject: await tokens.verify(caller.shopId, tokenHeader), proof: 'subject_token' };
}
