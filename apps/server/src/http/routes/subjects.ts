import { Hono } from 'hono';
import { createSubject } from '../../flows/subjects';
import type { Edge } from '../edge';
import type { ShopEnv } from '../shop-scope';

/**
 * Subjects: a new pseudonymous subject and its token. The customer's rights on their subject
 * (export, erasure, correction, pause) are routes of their own module beside this one.
 */
export function subjectRoutes({ deps, scopes }: Edge) {
  return new Hono<ShopEnv>().post('/subjects', scopes.browser, async (c) =>
    c.json(await createSubject(deps, c.var.shop), 201),
  );
}
