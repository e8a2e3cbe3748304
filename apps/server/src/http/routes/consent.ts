import { ConsentUpdateRequest, parseWith } from '@vitrine/contracts';
import { Hono } from 'hono';
import { consentState, currentNotice, listRecords, updateConsent } from '../../flows/consent';
import type { Edge } from '../edge';
import { type SubjectIdEnv, subjectParam } from '../shop-scope';
import { json, languageOf, query } from '../validate';

/** Consent: the notice a choice is made on, the subject's consent and its ledger (public key: own subject only). */
export function consentRoutes({ deps, scopes }: Edge) {
  const gpc = (c: { req: { header(name: string): string | undefined } }) => c.req.header('sec-gpc') === '1';
  return new Hono<SubjectIdEnv>()
    .get(
      '/notice',
      scopes.browser,
      query((q) => languageOf((q as { language?: unknown }).language)),
      (c) => c.json(currentNotice(c.var.shop, c.req.valid('query'))),
    )
    .get('/subjects/:id/consent', scopes.subject, subjectParam, async (c) =>
      c.json(await consentState(deps, c.var.shop, c.var.subjectId, { gpc: gpc(c) })),
    )
    .put(
      '/subjects/:id/consent',
      scopes.subject,
      subjectParam,
      json((v) => parseWith(ConsentUpdateRequest, v, 'consent change')),
      async (c) =>
        c.json(await updateConsent(deps, c.var.shop, c.var.subjectId, c.req.valid('json'), { gpc: gpc(c) })),
    )
    .get('/subjects/:id/consent/records', scopes.subject, subjectParam, async (c) =>
      c.json(await listRecords(deps, c.var.shop, c.var.subjectId)),
    );
}
