import { PredictionQuery, parseWith, RankRequest, RecommendationQuery } from '@vitrine/contracts';
import { Hono } from 'hono';
import { predictionsFlow } from '../../flows/predictions';
import { recommendFlow } from '../../flows/recommend';
import type { Edge } from '../edge';
import { type SubjectIdEnv, subjectParam } from '../shop-scope';
import { json, query } from '../validate';

const ForSubject = PredictionQuery.omit({ subject_id: true });

/** Recommendations, re-ranking and level-3 predictions (public key: own subject only). */
export function recommendationRoutes({ deps, scopes }: Edge) {
  const recommendation = (v: unknown) => parseWith(RecommendationQuery, v, 'recommendation request');
  return (
    new Hono<SubjectIdEnv>()
      .get('/recommendations', scopes.subject, query(recommendation), async (c) => {
        const q = c.req.valid('query');
        const subject = c.var.access.resolve(q.subject_id, 'subject_id');
        return c.json(await recommendFlow(deps, c.var.shop, q, subject));
      })
      .post('/recommendations', scopes.subject, json(recommendation), async (c) => {
        const q = c.req.valid('json');
        const subject = c.var.access.resolve(q.subject_id, 'subject_id');
        return c.json(await recommendFlow(deps, c.var.shop, q, subject));
      })
      .post(
        '/rank',
        scopes.subject,
        json((v) => parseWith(RankRequest, v, 'rank request')),
        async (c) => {
          const q = c.req.valid('json');
          const subject = c.var.access.resolve(q.subject_id, 'subject_id');
          return c.json(await recommendFlow(deps, c.var.shop, { ...q, scenario: 'rank' }, subject));
        },
      )
      // Level-3 predictions about the subject, with their inputs (own subject only).
      .get(
        '/subjects/:id/predictions',
        scopes.subject,
        subjectParam,
        query((v) => parseWith(ForSubject, v, 'predictions request')),
        async (c) => {
          const q = c.req.valid('query');
          return c.json(await predictionsFlow(deps, c.var.shop, c.var.subjectId, q.session_id, q.language));
        },
      )
  );
}
