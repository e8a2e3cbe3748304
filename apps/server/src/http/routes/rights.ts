import {
  EVENT_ID,
  EXCLUSION_ID,
  ExclusionRequest,
  ExportQuery,
  IdentityRequest,
  ObjectionRequest,
  parseWith,
  RECORD_ID,
  RestrictionRequest,
  RightsRequestsQuery,
} from '@vitrine/contracts';
import { Hono } from 'hono';
import { recordProof } from '../../flows/consent';
import {
  addExclusion,
  getExclusion,
  listExclusions,
  removeEvent,
  removeExclusion,
} from '../../flows/correction';
import { eraseSubject } from '../../flows/erasure';
import { exportCsv, exportSubject } from '../../flows/export';
import { readIdentity, shredIdentity, writeIdentity } from '../../flows/identity';
import { setObjection, setRestriction } from '../../flows/restriction';
import { listRequests } from '../../flows/rights-requests';
import type { Edge } from '../edge';
import { type SubjectIdEnv, subjectParam } from '../shop-scope';
import { json, query } from '../validate';

const param = (value: string | undefined, schema: Parameters<typeof parseWith>[0], name: string) =>
  parseWith(schema, value ?? '', name, name) as string;

/**
 * The customer's rights on their own subject (R1–R6, O3, D3): export, erasure, correction and
 * "don't use this", pause, objection, identity, proofs. A secret key acts for any subject of
 * the shop, a public key for its own (subject token or a token the shop's backend signed);
 * each request is recorded with how the caller proved it (R1).
 */
export function rightsRoutes({ deps, scopes }: Edge) {
  return (
    new Hono<SubjectIdEnv>()
      // R2, R5: every data point, with category, purpose, legal basis, source, retention, expiry.
      .get(
        '/subjects/:id/export',
        scopes.subject,
        subjectParam,
        query((v) => parseWith(ExportQuery, v, 'export request')),
        async (c) => {
          const q = c.req.valid('query');
          const out = await exportSubject(deps, c.var.shop, c.var.subjectId, q.language, c.var.access.proof);
          if (q.format === 'json') return c.json(out);
          c.header('content-disposition', `attachment; filename="${c.var.subjectId}.csv"`);
          return c.body(exportCsv(out), 200, { 'content-type': 'text/csv; charset=utf-8' });
        },
      )
      // R4: the erasure, with its receipt (202 while it is still under way).
      .delete('/subjects/:id', scopes.subject, subjectParam, async (c) => {
        const out = await eraseSubject(deps, c.var.shop, c.var.subjectId, c.var.access.proof);
        return c.json(out, out.status === 'completed' ? 200 : 202);
      })
      // R3: one event corrected away.
      .delete('/subjects/:id/events/:event_id', scopes.subject, subjectParam, async (c) => {
        const eventId = param(c.req.param('event_id'), EVENT_ID, 'event_id');
        return c.json(await removeEvent(deps, c.var.shop, c.var.subjectId, eventId, c.var.access.proof));
      })
      // R3: "don't use this".
      .post(
        '/subjects/:id/exclusions',
        scopes.subject,
        subjectParam,
        json((v) => parseWith(ExclusionRequest, v, 'exclusion')),
        async (c) =>
          c.json(
            await addExclusion(deps, c.var.shop, c.var.subjectId, c.req.valid('json'), c.var.access.proof),
            201,
          ),
      )
      .get('/subjects/:id/exclusions', scopes.subject, subjectParam, async (c) =>
        c.json({ exclusions: await listExclusions(deps, c.var.shop, c.var.subjectId) }),
      )
      .get('/subjects/:id/exclusions/:exclusion_id', scopes.subject, subjectParam, async (c) => {
        const id = param(c.req.param('exclusion_id'), EXCLUSION_ID, 'exclusion_id');
        return c.json(await getExclusion(deps, c.var.shop, c.var.subjectId, id));
      })
      .delete('/subjects/:id/exclusions/:exclusion_id', scopes.subject, subjectParam, async (c) => {
        const id = param(c.req.param('exclusion_id'), EXCLUSION_ID, 'exclusion_id');
        return c.json(await removeExclusion(deps, c.var.shop, c.var.subjectId, id, c.var.access.proof));
      })
      // R6: pause and resume.
      .put(
        '/subjects/:id/restriction',
        scopes.subject,
        subjectParam,
        json((v) => parseWith(RestrictionRequest, v, 'restriction')),
        async (c) =>
          c.json(
            await setRestriction(
              deps,
              c.var.shop,
              c.var.subjectId,
              c.req.valid('json').paused,
              c.var.access.proof,
            ),
          ),
      )
      // O3: objection to direct marketing and to the profiling behind it.
      .put(
        '/subjects/:id/objection',
        scopes.subject,
        subjectParam,
        json((v) => parseWith(ObjectionRequest, v, 'objection')),
        async (c) =>
          c.json(
            await setObjection(deps, c.var.shop, c.var.subjectId, c.req.valid('json'), c.var.access.proof),
          ),
      )
      .get('/subjects/:id/objection', scopes.subject, subjectParam, async (c) => {
        const o = await deps.store.objections.get(c.var.shop.shop.id, c.var.subjectId);
        return c.json({
          subject_id: c.var.subjectId,
          objection: { direct_marketing: o?.directMarketing ?? false, profiling: o?.profiling ?? false },
        });
      })
      // D3: the identity store.
      .get('/subjects/:id/identity', scopes.subject, subjectParam, async (c) =>
        c.json(await readIdentity(deps, c.var.shop, c.var.subjectId, c.var.access.proof)),
      )
      .put(
        '/subjects/:id/identity',
        scopes.subject,
        subjectParam,
        json((v) => parseWith(IdentityRequest, v, 'identity')),
        async (c) => c.json(await writeIdentity(deps, c.var.shop, c.var.subjectId, c.req.valid('json'))),
      )
      .delete('/subjects/:id/identity', scopes.subject, subjectParam, async (c) =>
        c.json(await shredIdentity(deps, c.var.shop, c.var.subjectId, c.var.access.proof)),
      )
      // D5: the inclusion proof of a consent record.
      .get('/subjects/:id/consent/records/:record_id/proof', scopes.subject, subjectParam, async (c) => {
        const id = param(c.req.param('record_id'), RECORD_ID, 'record_id');
        return c.json(await recordProof(deps, c.var.shop, c.var.subjectId, id));
      })
      // R1: the register, each request with its one-month deadline (the shop's server only).
      .get(
        '/rights-requests',
        scopes.server,
        query((v) => parseWith(RightsRequestsQuery, v, 'rights requests query').limit),
        async (c) => c.json(await listRequests(deps, c.var.shop, c.req.valid('query'))),
      )
  );
}
