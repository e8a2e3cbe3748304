import { parseWith, SubjectId, VitrineError } from '@vitrine/contracts';
import type { KeyKind, RightsRequestProof } from '@vitrine/storage';
import type { MiddlewareHandler } from 'hono';
import type { Limits } from '../config';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { apiKeys, boundSubject, type Caller } from './auth';
import type { RateLimiter } from './rate-limit';

/**
 * The one rule for acting on a subject: a secret key may act for any subject of its shop, a
 * public key only for the subject its token binds. `field` names where the request named it.
 */
export function ownSubject(bound: string | undefined, named: string, field: string): string {
  if (bound !== undefined && bound !== named) {
    throw new VitrineError(
      'forbidden',
      'The public key may only act for its own subject (the one its X-Vitrine-Subject token names); this request names another. Nothing was stored or changed.',
      { field },
    );
  }
  return named;
}

/** Who may be acted for on a subject route: `own` checks a named subject, `resolve` also falls back to the bound one. */
export interface SubjectAccess {
  /** The subject bound by a public key's token; undefined with a secret key (any subject). */
  bound: string | undefined;
  /** How the caller proved to act for the subject (R1). */
  proof: RightsRequestProof;
  own(named: string, field: string): string;
  resolve(named: string | undefined, field: string): string | undefined;
}

/** A request in a shop's scope: the caller, and the shop resolved once for every route. */
export type ShopEnv = { Variables: { caller: Caller; shop: ShopRuntime } };
/** A request that acts for a subject: the shop scope plus the subject access. */
export type SubjectEnv = { Variables: ShopEnv['Variables'] & { access: SubjectAccess } };

export interface Scopes {
  /** The shop's server: the secret key only. */
  server: MiddlewareHandler<ShopEnv>;
  /** A browser or the server, for the shop as a whole (notice, new subjects). */
  browser: MiddlewareHandler<ShopEnv>;
  /** A browser or the server acting for a subject: a public key must bring its subject token. */
  subject: MiddlewareHandler<SubjectEnv>;
}

/**
 * The shop-scope middlewares: authenticate the key, take a token from the key's rate limit,
 * resolve the bound subject (subject routes, with a rate limit per subject for the public key)
 * and the shop's runtime, once, before any route code runs and before the body is read. Built
 * once per app, so the key cache and the rate limits are shared by every route.
 */
export function shopScopes(
  deps: Deps,
  shop: (shopId: string) => Promise<ShopRuntime>,
  rates: { limiter: RateLimiter; rate: Limits['rate'] },
): Scopes {
  const keys = apiKeys(deps.store);
  const { limiter, rate } = rates;
  const authenticate = async (header: string | undefined, allow: readonly KeyKind[]) => {
    const caller = await keys(header, allow);
    limiter.check(`key\u0000${caller.keyId}`, rate[caller.kind], 'with this API key', 'authorization');
    return caller;
  };
  const scope =
    (allow: readonly KeyKind[]): MiddlewareHandler<ShopEnv> =>
    async (c, next) => {
      const caller = await authenticate(c.req.header('authorization'), allow);
      c.set('caller', caller);
      c.set('shop', await shop(caller.shopId));
      await next();
    };
  return {
    server: scope(['secret']),
    browser: scope(['secret', 'public']),
    subject: async (c, next) => {
      const caller = await authenticate(c.req.header('authorization'), ['secret', 'public']);
      c.set('caller', caller);
      const { subject: bound, proof } = await boundSubject(
        caller,
        c.req.header('x-vitrine-subject'),
        deps.tokens,
        deps.store,
      );
      if (bound !== undefined) {
        // All browsers share the public key: one subject must not use up the shop's share.
        limiter.check(
          `subject\u0000${caller.keyId}\u0000${bound}`,
          rate.subject,
          'for this subject token',
          'x-vitrine-subject',
        );
      }
      c.set('shop', await shop(caller.shopId));
      c.set('access', {
        bound,
        proof,
        own: (named, field) => ownSubject(bound, named, field),
        resolve: (named, field) => (named === undefined ? bound : ownSubject(bound, named, field)),
      });
      await next();
    },
  };
}

/** A subject route with its `:id` checked: a valid subject id that the caller may act for. */
export type SubjectIdEnv = { Variables: SubjectEnv['Variables'] & { subjectId: string } };

/** Validates the `:id` path parameter and applies the own-subject rule, before the body is read. */
export const subjectParam: MiddlewareHandler<SubjectIdEnv> = async (c, next) => {
  const id = parseWith(SubjectId, c.req.param('id') ?? '', 'subject id', 'subject_id');
  c.set('subjectId', c.var.access.own(id, 'subject_id'));
  await next();
};
