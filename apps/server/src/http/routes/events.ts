import { parseEventBatch } from '@vitrine/contracts';
import { Hono } from 'hono';
import { track } from '../../flows/track';
import type { Edge } from '../edge';
import type { SubjectEnv } from '../shop-scope';
import { json } from '../validate';

/** Events: the consent-gated ingestion path (public key: own subject only). */
export function eventRoutes({ deps, scopes, idempotent }: Edge) {
  return new Hono<SubjectEnv>().post(
    '/events',
    scopes.subject,
    // With the public key the token names the subject: events may leave `subject_id` out.
    json((v, c) => parseEventBatch(v, deps.clock.now(), { subject: c.var.access.bound })),
    async (c, next) => {
      // One event for another subject refuses the whole batch: nothing is stored.
      for (const { index, event } of c.req.valid('json'))
        c.var.access.own(event.subject_id, `events[${index}].subject_id`);
      await next();
    },
    idempotent,
    async (c) => {
      const seed = c.get('idempotencySeed');
      return c.json(await track(deps, c.var.shop, c.req.valid('json'), seed ? { idSeed: seed } : {}));
    },
  );
}
