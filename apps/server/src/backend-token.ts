import { VitrineError } from '@vitrine/contracts';
import type { Store } from '@vitrine/storage';
import { decodeJwt, errors, jwtVerify } from 'jose';

/** The `iss` of a token the shop's backend signs; subject tokens from POST /v1/subjects carry none. */
export const BACKEND_ISSUER = 'shop-backend';

/**
 * A token the shop's backend signs for a customer it has identified (R1: identity checked in
 * proportion, e.g. the customer is logged in to the shop). The browser sends it, with the
 * public key, in `X-Vitrine-Subject` instead of the subject token: a customer on a new device
 * can so reach their own data. It is a JWT, HS256, signed with the SHA-256 of the shop's secret
 * key (32 bytes; the server keeps only that hash), with `iss: "shop-backend"`, `aud`: the shop
 * id, `sub`: the subject id, `iat` and an `exp` at most an hour later. See the README.
 */
export function isBackendToken(token: string): boolean {
  try {
    return decodeJwt(token).iss === BACKEND_ISSUER;
  } catch {
    return false;
  }
}

export async function verifyBackendToken(store: Store, shopId: string, token: string): Promise<string> {
  for (const key of await store.keys.listForShop(shopId, 'secret')) {
    try {
      const { payload } = await jwtVerify(token, Buffer.from(key.hash, 'hex'), {
        algorithms: ['HS256'],
        audience: shopId,
        issuer: BACKEND_ISSUER,
        requiredClaims: ['sub', 'iat', 'exp'],
        maxTokenAge: '1h',
      });
      if (typeof payload.sub === 'string' && payload.exp! - payload.iat! <= 3600) return payload.sub;
    } catch (e) {
      if (e instanceof errors.JWTExpired) {
        throw new VitrineError(
          'unauthorized',
          'The token signed by the shop has expired; ask the shop for a new one.',
          {
            field: 'x-vitrine-subject',
          },
        );
      }
      if (!(e instanceof errors.JWSSignatureVerificationFailed)) {
        throw new VitrineError(
          'unauthorized',
          `The token signed by the shop is not valid (${(e as Error).message}). It must be HS256 with iss "shop-backend", aud the shop id, sub the subject id, and iat and exp at most one hour apart.`,
          { field: 'x-vitrine-subject' },
        );
      }
    }
  }
  throw new VitrineError(
    'unauthorized',
    "The token signed by the shop does not verify with any of the shop's secret keys. Sign it with the SHA-256 of the secret key (see the README).",
    { field: 'x-vitrine-subject' },
  );
}
