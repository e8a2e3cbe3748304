import { parseEventBatch } from '@vitrine/contracts';
import { Hono } from 'hono';
import { track } from '../../flows/track';
import type { Edge } from '../edge';
import type { SubjectEnv } from '../shop-scope';
import { json } from '../validate';

/** Events: the consent-gated ingestion path (public key: own subject only). */
export function eventRoutes({ deps, scopes }: Edge) {
  return new Hono<SubjectEnv>().post(
    '/events',
    scopes.subject,
    // With the public key the token names the subject: events may leave `subject_id` out.
    json((v, c) => parseEventBatch(v, deps.clock.now(), { subject: c.var.access.bound })),
    async (c) => {
      const batch = c.req.valid('json');
      // One event for another subject refuses the whole batch: nothing is stored.
      for (const { index, event } of batch) c.var.access.own(event.subject_id, `events[${index}].subject_id`);
      return c.json(await track(deps, c.var.shop, batch));
    },
  );
}
