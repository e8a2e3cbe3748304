import { VitrineError } from '@vitrine/contracts';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * A subject token binds a browser to its own pseudonymous subject within one shop. It is
 * handed out when the customer first opts in and sent with the public key, so a public key
 * can only act for the caller's own subject.
 */
export class SubjectTokens {
  readonly #key: Uint8Array;

  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  async issue(shopId: string, subjectId: string, ttlDays = 395): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subjectId)
      .setAudience(shopId)
      .setIssuedAt()
      .setExpirationTime(`${ttlDays}d`)
      .sign(this.#key);
  }

  /** Returns the subject id, or throws 401 with a message saying what to do. */
  async verify(shopId: string, token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { audience: shopId, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') throw new Error('no subject');
      return payload.sub;
    } catch (e) {
      const expired = e instanceof errors.JWTExpired;
      throw new VitrineError(
        'unauthorized',
        expired
          ? 'The subject token has expired. Request a new one with POST /v1/subjects.'
          : 'The subject token is invalid for this shop. Send the token returned by POST /v1/subjects in the X-Vitrine-Subject header.',
        { field: 'x-vitrine-subject' },
      );
    }
  }
}
